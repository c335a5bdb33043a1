#!/usr/bin/env python3
# fuzz-corpus.py SIM_EXECUTABLE CORPUS_DIR
#
# Seeds the atlas-* fuzz targets (tests/fuzz/fuzz-atlas-*.c) with real answers: starts
# keylink-atlas-sim (a stopped clock, a made-up service account), walks it through the
# whole flow — projects, encryption at rest before and after, endpoints in every state,
# clusters before and after, and the error answers on the way — and writes each answer
# where the target that parses it expects it:
#   atlas-project/  atlas-ear/  atlas-endpoint/  atlas-cluster/   JSON bodies (objects and
#                                                                 pages)
#   atlas-error/    status (2 bytes, big-endian), X-Error-Code, '\n', Retry-After, '\n',
#                   body — the input of kl_error_new_from_http()
#   atlas-redact/   what the HTTP log would print for these exchanges (headers, bodies,
#                   the token form), before redaction
# File names are the SHA-1 of the content, so running it again adds nothing twice. The
# credentials are made up for this script; nothing here is a real secret.
import base64
import hashlib
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

CLIENT_ID = 'mdb_sa_id_65f0000000000000000c0de5'
CLIENT_SECRET = 'mdb_sa_sk_corpus-made-up-secret'
READY = '65f0000000000000000000a1'
MIXED = '65f0000000000000000000a2'
PAUSED = '65f0000000000000000000a3'
NEW_REGION = '65f0000000000000000000a4'
V2023 = 'application/vnd.atlas.2023-01-01+json'
V2024_READ = 'application/vnd.atlas.2024-08-05+json'
V2024_FLEX = 'application/vnd.atlas.2024-11-13+json'
V2024_PATCH = 'application/vnd.atlas.2024-10-23+json'


class Corpus:
    def __init__(self, root):
        self.root = root
        self.count = {}

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode('utf-8')
        directory = os.path.join(self.root, target)
        os.makedirs(directory, exist_ok=True)
        name = hashlib.sha1(data).hexdigest()[:16]
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            with open(path, 'wb') as f:
                f.write(data)
            self.count[target] = self.count.get(target, 0) + 1


class Sim:
    def __init__(self, executable):
        self.process = subprocess.Popen(
            [executable, '--port', '0', '--time-scale', '0', '--seed', '7',
             '--service-account', CLIENT_ID + ':' + CLIENT_SECRET],
            stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith('http://127.0.0.1:'):
            raise SystemExit('fuzz-corpus: the simulator did not start: %r' % self.url)
        self.token = None

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def raw(self, method, path, headers=None, body=None):
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def sign_in(self, corpus):
        basic = base64.b64encode((CLIENT_ID + ':' + CLIENT_SECRET).encode()).decode()
        form = b'grant_type=client_credentials'
        headers = {'Authorization': 'Basic ' + basic, 'Accept': 'application/json',
                   'Content-Type': 'application/x-www-form-urlencoded'}
        status, answer_headers, body = self.raw('POST', '/api/oauth/token', headers, form)
        corpus.add('atlas-redact', log_text('POST', '/api/oauth/token', headers, form, status,
                                            answer_headers, body))
        self.token = json.loads(body)['access_token']
        # A wrong secret: the OAuth error shape.
        wrong = base64.b64encode((CLIENT_ID + ':wrong').encode()).decode()
        status, answer_headers, body = self.raw('POST', '/api/oauth/token',
                                                dict(headers, Authorization='Basic ' + wrong),
                                                form)
        corpus.add('atlas-error', error_input(status, answer_headers, body))

    def api(self, corpus, method, path, media, payload=None):
        headers = {'Accept': media, 'Authorization': 'Bearer ' + self.token}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers['Content-Type'] = media
        status, answer_headers, answer = self.raw(method, path, headers, body)
        corpus.add('atlas-redact', log_text(method, path, headers, body, status, answer_headers,
                                            answer))
        if status >= 300:
            corpus.add('atlas-error', error_input(status, answer_headers, answer))
        return status, answer

    def control(self, path, payload=None):
        body = json.dumps(payload).encode() if payload is not None else b''
        status, _, answer = self.raw('POST', '/__sim' + path,
                                     {'Content-Type': 'application/json',
                                      'Accept': 'application/json'}, body)
        if status >= 300:
            raise SystemExit('fuzz-corpus: %s → %d %s' % (path, status, answer))
        return json.loads(answer) if answer else None


def error_input(status, headers, body):
    code = headers.get('X-Error-Code', '')
    retry = headers.get('Retry-After', '')
    return bytes([status >> 8 & 0xff, status & 0xff]) + code.encode() + b'\n' + \
        retry.encode() + b'\n' + body


def log_text(method, path, headers, body, status, answer_headers, answer):
    """Roughly what SoupLogger prints for one exchange (each line goes to the redactor)."""
    lines = ['%s %s HTTP/1.1' % (method, path)]
    lines += ['%s: %s' % item for item in headers.items()]
    if body:
        lines.append('')
        lines += body.decode('utf-8', 'replace').split('\n')
    lines.append('HTTP/1.1 %d' % status)
    lines += ['%s: %s' % item for item in answer_headers.items()]
    if answer:
        lines.append('')
        text = answer.decode('utf-8', 'replace')
        # Pretty, as some answers come (401) and as a person would paste it.
        try:
            text = json.dumps(json.loads(text), indent=2)
        except ValueError:
            pass
        lines += text.split('\n')
    return '\n'.join(lines)


def walk(sim, corpus):
    sim.sign_in(corpus)
    groups = '/api/atlas/v2/groups'

    # Projects: whole, and in pages of 1, 2 and 7; one by one.
    _, page = sim.api(corpus, 'GET', groups, V2023)
    corpus.add('atlas-project', page)
    for per_page in (1, 2, 7):
        for number in (1, 2, 3):
            _, page = sim.api(corpus, 'GET', '%s?itemsPerPage=%d&pageNum=%d'
                              % (groups, per_page, number), V2023)
            corpus.add('atlas-project', page)
    _, page = sim.api(corpus, 'GET', groups + '?includeCount=false&itemsPerPage=3', V2023)
    corpus.add('atlas-project', page)
    for group in (READY, MIXED, PAUSED, NEW_REGION):
        _, project = sim.api(corpus, 'GET', '%s/%s' % (groups, group), V2023)
        corpus.add('atlas-project', project)
    sim.api(corpus, 'GET', groups + '/65f0000000000000000000ff', V2023)
    sim.api(corpus, 'GET', groups + '/not-an-id', V2023)
    sim.api(corpus, 'GET', groups, 'application/json')
    sim.api(corpus, 'GET', groups + '?pageNum=0', V2023)

    # Clusters of every kind, before.
    for group in (READY, MIXED, PAUSED, NEW_REGION):
        _, page = sim.api(corpus, 'GET', '%s/%s/clusters' % (groups, group), V2024_READ)
        corpus.add('atlas-cluster', page)
        for cluster in json.loads(page)['results']:
            _, one = sim.api(corpus, 'GET', '%s/%s/clusters/%s' % (groups, group, cluster['name']),
                             V2024_READ)
            corpus.add('atlas-cluster', one)
    sim.api(corpus, 'GET', '%s/%s/clusters/analytics-serverless' % (groups, MIXED), V2024_READ)
    # Flex clusters: only in the Flex API; the cluster API refuses them by name.
    for group in (READY, MIXED):
        _, page = sim.api(corpus, 'GET', '%s/%s/flexClusters' % (groups, group), V2024_FLEX)
        corpus.add('atlas-cluster', page)
    _, one = sim.api(corpus, 'GET', '%s/%s/flexClusters/analytics-flex' % (groups, MIXED),
                     V2024_FLEX)
    corpus.add('atlas-cluster', one)
    sim.api(corpus, 'GET', '%s/%s/flexClusters/analytics-azure' % (groups, MIXED), V2024_FLEX)
    sim.api(corpus, 'GET', '%s/%s/clusters/analytics-flex' % (groups, MIXED), V2024_READ)
    sim.api(corpus, 'GET', '%s/%s/clusters/nope' % (groups, READY), V2024_READ)

    # Encryption at rest: unconfigured, refused, enabled, private networking, rotated.
    ear = '%s/%s/encryptionAtRest' % (groups, READY)
    _, before = sim.api(corpus, 'GET', ear, V2023)
    corpus.add('atlas-ear', before)
    vault = {
        'azureEnvironment': 'AZURE', 'clientID': '11111111-2222-3333-4444-555555555555',
        'tenantID': 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        'subscriptionID': '99999999-8888-7777-6666-555555555555',
        'resourceGroupName': 'rg-keys', 'keyVaultName': 'kv-corpus',
        'keyIdentifier': 'https://kv-corpus.vault.azure.net/keys/atlas/'
                         '0123456789abcdef0123456789abcdef',
        'secret': 'corpus~made-up~azure~secret', 'enabled': True,
    }
    sim.api(corpus, 'PATCH', ear, V2023, {'azureKeyVault': {'enabled': True}})
    sim.api(corpus, 'PATCH', ear, V2023, {'azureKeyVault': dict(
        vault, clientID='00000000-0000-0000-0000-00000000bad0')})
    sim.api(corpus, 'PATCH', ear, V2023, {'azureKeyVault': dict(
        vault, keyIdentifier='https://other.vault.azure.net/keys/atlas/'
                             '0123456789abcdef0123456789abcdef')})
    _, unusable = sim.api(corpus, 'PATCH', '%s/%s/encryptionAtRest' % (groups, MIXED), V2023,
                          {'azureKeyVault': dict(vault, keyIdentifier=vault['keyIdentifier']
                                                 .replace('/atlas/', '/unusable-key/'))})
    corpus.add('atlas-ear', unusable)
    _, enabled = sim.api(corpus, 'PATCH', ear, V2023, {'azureKeyVault': vault})
    corpus.add('atlas-ear', enabled)
    _, rpn = sim.api(corpus, 'PATCH', ear, V2023,
                     {'azureKeyVault': {'requirePrivateNetworking': True}})
    corpus.add('atlas-ear', rpn)
    sim.api(corpus, 'PATCH', ear, V2023, {'azureKeyVault': {'keyVaultName': 'kv-other'}})
    _, rotated = sim.api(corpus, 'PATCH', ear, V2023, {'azureKeyVault': {
        'keyIdentifier': vault['keyIdentifier'].replace('0123456789abcdef0123456789abcdef',
                                                        'fedcba9876543210fedcba9876543210')}})
    corpus.add('atlas-ear', rotated)
    _, after = sim.api(corpus, 'GET', ear, V2023, None)
    corpus.add('atlas-ear', after)

    # Endpoints through their states.
    endpoints = ear + '/AZURE/privateEndpoints'
    ids = {}
    for region in ('US_EAST_2', 'EUROPE_WEST', 'UK_SOUTH', 'AUSTRALIA_EAST'):
        _, created = sim.api(corpus, 'POST', endpoints, V2023, {'regionName': region})
        corpus.add('atlas-endpoint', created)
        ids[region] = json.loads(created)['id']
    sim.api(corpus, 'POST', endpoints, V2023, {'regionName': 'US_EAST_2'})
    sim.api(corpus, 'POST', endpoints, V2023, {'regionName': 'MARS_NORTH'})
    sim.api(corpus, 'DELETE', '%s/%s' % (endpoints, ids['UK_SOUTH']), V2023)
    _, page = sim.api(corpus, 'GET', endpoints, V2023)
    corpus.add('atlas-endpoint', page)
    sim.control('/advance', {'seconds': 91})
    for region, endpoint in ids.items():
        _, one = sim.api(corpus, 'GET', '%s/%s' % (endpoints, endpoint), V2023)
        corpus.add('atlas-endpoint', one)
    sim.control('/groups/%s/privateEndpoints/%s/approve' % (READY, ids['US_EAST_2']))
    sim.control('/groups/%s/privateEndpoints/%s/fail' % (READY, ids['EUROPE_WEST']),
                {'errorMessage': 'The key vault refused the connection.'})
    sim.control('/groups/%s/privateEndpoints/%s/reject' % (READY, ids['AUSTRALIA_EAST']))
    sim.control('/advance', {'seconds': 181})
    sim.api(corpus, 'DELETE', '%s/%s' % (endpoints, ids['AUSTRALIA_EAST']), V2023)
    _, page = sim.api(corpus, 'GET', endpoints, V2023)
    corpus.add('atlas-endpoint', page)
    _, page = sim.api(corpus, 'GET', endpoints + '?itemsPerPage=1&pageNum=2', V2023)
    corpus.add('atlas-endpoint', page)
    for endpoint in ids.values():
        _, one = sim.api(corpus, 'GET', '%s/%s' % (endpoints, endpoint), V2023)
        corpus.add('atlas-endpoint', one)
    sim.api(corpus, 'DELETE', '%s/%s' % (endpoints, ids['US_EAST_2']), V2023)
    _, deleting = sim.api(corpus, 'GET', '%s/%s' % (endpoints, ids['US_EAST_2']), V2023)
    corpus.add('atlas-endpoint', deleting)
    sim.api(corpus, 'PATCH', ear, V2023, {'azureKeyVault': {'enabled': False}})
    sim.api(corpus, 'PATCH', ear, V2023, {'azureKeyVault': {'requirePrivateNetworking': False}})

    # Clusters: CMK on, ineligible ones refused, the state that follows.
    clusters = '%s/%s/clusters' % (groups, READY)
    _, updating = sim.api(corpus, 'PATCH', clusters + '/payments-us', V2024_PATCH,
                          {'encryptionAtRestProvider': 'AZURE'})
    corpus.add('atlas-cluster', updating)
    sim.api(corpus, 'PATCH', clusters + '/payments-us', V2024_PATCH,
            {'encryptionAtRestProvider': 'NONE'})
    sim.api(corpus, 'PATCH', clusters + '/payments-us', V2024_PATCH, {'paused': True})
    for name in ('analytics-free', 'analytics-flex', 'analytics-multicloud'):
        sim.api(corpus, 'PATCH', '%s/%s/clusters/%s' % (groups, MIXED, name), V2024_PATCH,
                {'encryptionAtRestProvider': 'AZURE'})
    _, page = sim.api(corpus, 'GET', clusters, V2024_READ)
    corpus.add('atlas-cluster', page)
    sim.control('/advance', {'seconds': 121})
    _, page = sim.api(corpus, 'GET', clusters, V2024_READ)
    corpus.add('atlas-cluster', page)

    # What the faults add: Retry-After, a 5xx of each kind.
    for rule in ({'kind': 'retry_after', 'retryAfter': 30}, {'kind': 'status', 'status': 500},
                 {'kind': 'status', 'status': 503}, {'kind': 'status', 'status': 502},
                 {'kind': 'status', 'status': 403}):
        sim.control('/faults', dict(rule, path=groups, count=1))
        sim.api(corpus, 'GET', groups, V2023)


def main(argv):
    if len(argv) != 3:
        print('usage: fuzz-corpus.py SIM_EXECUTABLE CORPUS_DIR', file=sys.stderr)
        return 2
    corpus = Corpus(argv[2])
    sim = Sim(argv[1])
    try:
        walk(sim, corpus)
    finally:
        sim.stop()
    for target in sorted(corpus.count):
        print('%-16s %3d new files' % (target, corpus.count[target]))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
