#!/usr/bin/env python3
# check-secrets.py — secrets never go to a command line, TLS is never switched off.
#
#   check-secrets.py DIR…
#   check-secrets.py --self-test
#
# Reads the C files under DIR (Keylink's src/) and reports:
#  1. a process started (g_spawn_*, GSubprocess, exec*, posix_spawn*, system, popen) in a
#     function that touches anything secret-named (secret, password, token, private key, API
#     key, credential, Authorization, bearer): a command line is visible to every user of
#     the machine (ps, /proc/PID/cmdline), so a secret must never be built into one — nor
#     into the environment of a child (g_setenv, g_environ_setenv, envp arrays);
#  2. anything that weakens TLS: an accept-certificate handler, validation flags, a NULL or
#     custom TLS database, libsoup's ssl-strict.
# A line may carry "kl-secret-ok: <reason>" in a comment when a reviewer has checked it.
# Prints one line per problem and exits 1 if there is any; --self-test proves that the
# checks catch what they should on made-up code.
import re
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
from c_source import c_files, chunks, strip_comments  # noqa: E402

SPAWN = re.compile(r'\b(g_spawn_\w+|g_subprocess_new\w*|g_subprocess_launcher_spawn\w*|'
                   r'g_subprocess_launcher_setenv|g_subprocess_launcher_set_environ|'
                   r'exec[lv]p?e?|posix_spawnp?|system|popen|g_app_info_create_from_commandline|'
                   r'g_shell_parse_argv|g_setenv|setenv|putenv|g_environ_setenv)\s*\(')

SECRET_NAME = re.compile(r'(secret|passw(or)?d|token|private_?key|privatekey|api_?key|apikey|'
                         r'credential|authorization|bearer|client_?secret)', re.IGNORECASE)

# Harmless names that contain a secret word.
HARMLESS = re.compile(r'^(token_type|token_type_hint|kl_secret_free|secret_schema\w*|'
                      r'KL_ERROR_\w+|G_TOKEN_\w+|\w+_TOKEN_\w+)$')

TLS_WEAKENERS = [
    (re.compile(r'accept[-_]certificate'), 'an accept-certificate handler'),
    (re.compile(r'\bG_TLS_CERTIFICATE_(VALIDATE_ALL|NO_FLAGS|GENERIC_ERROR|UNKNOWN_CA|'
                r'BAD_IDENTITY|NOT_ACTIVATED|EXPIRED|REVOKED|INSECURE)\b'),
     'certificate validation flags'),
    (re.compile(r'validation[-_]flags'), 'TLS validation flags'),
    (re.compile(r'set_tls_database|"tls-database"'), 'a TLS database other than the system one'),
    (re.compile(r'ssl[-_]strict|ssl[-_]use[-_]system[-_]ca'), "libsoup's ssl-strict"),
    (re.compile(r'GNUTLS_VERIFY_|SSL_VERIFY_NONE|CURLOPT_SSL_VERIFY'), 'a TLS library switch'),
]

OK_MARK = 'kl-secret-ok:'


def functions(text):
    """(start, end) of each top-level brace block: function bodies in GNU style."""
    blocks = []
    depth = 0
    start = None
    for i, chunk in chunks(text):
        if chunk == '{':
            if depth == 0:
                # The signature belongs to the function: from the line after the last ';' or '}'.
                k = max(text.rfind(';', 0, i), text.rfind('}', 0, i))
                start = k + 1
            depth += 1
        elif chunk == '}':
            depth -= 1
            if depth == 0 and start is not None:
                blocks.append((start, i + 1))
                start = None
    return blocks


def line_of(text, offset):
    return text.count('\n', 0, offset) + 1


def line_text(text, offset):
    start = text.rfind('\n', 0, offset) + 1
    end = text.find('\n', offset)
    return text[start:end if end >= 0 else len(text)]


def secret_identifiers(text):
    names = set()
    for match in re.finditer(r'[A-Za-z_][A-Za-z0-9_]*', text):
        word = match.group(0)
        if SECRET_NAME.search(word) and not HARMLESS.match(word):
            names.add(word)
    return names


def check_source(path, text):
    problems = []
    clean = strip_comments(text, OK_MARK)
    # Without string literals: "Basic " or a message about tokens is not a secret.
    code = re.sub(r'"(\\.|[^"\\])*"', '""', clean)

    for start, end in functions(code):
        body = code[start:end]
        spawns = [m for m in SPAWN.finditer(body) if OK_MARK not in line_text(body, m.start())]
        if not spawns:
            continue
        secrets = sorted(secret_identifiers(body))
        for match in spawns:
            if secrets:
                problems.append('%s:%d: %s() in a function that handles %s: a secret must '
                                'never reach a command line or a child\'s environment'
                                % (path, line_of(code, start + match.start()), match.group(1),
                                   ', '.join(secrets)))

    for pattern, what in TLS_WEAKENERS:
        for match in pattern.finditer(clean):
            if OK_MARK in line_text(clean, match.start()):
                continue
            problems.append('%s:%d: %s: TLS must stay as strict as GIO makes it'
                            % (path, line_of(clean, match.start()), what))
    return problems


def check_tree(directory):
    problems = []
    n = 0
    for path, text in c_files(directory):
        problems += check_source(path, text)
        n += 1
    return problems, n


SELF_TEST_BAD = r'''
static void
import_cli (const char *client_secret)
{
  const char *argv[] = { "atlas", "auth", "--secret", client_secret, NULL };

  g_spawn_async (NULL, (char **) argv, NULL, 0, NULL, NULL, NULL, NULL);
}

static void
run_helper (KlProfile *profile)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *password = kl_profile_dup_password (profile);

  g_strv_builder_add (builder, password);
  g_subprocess_newv ((const char * const *) g_strv_builder_end (builder), 0, NULL);
}

static void
run_env (const char *token)
{
  g_setenv ("ATLAS_TOKEN", token, TRUE);
}

static void
weaken (SoupMessage *msg)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (yes_cb), NULL);
  g_object_set (session, "tls-database", NULL, NULL);
}
'''
SELF_TEST_GOOD = r'''
/* g_spawn_async (argv) with a client_secret, in a comment */
static void
open_help (void)
{
  const char *argv[] = { "yelp", "help:keylink", NULL };

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL);
}

static void
sign_in (KlAtlasClient *self)
{
  char *header = g_strconcat ("Bearer ", self->token, NULL);

  kl_secret_free (header);
}

static void
show_command (GtkLabel *label, const char *vault)
{
  /* The approval command is shown, never run. */
  g_autofree char *text = g_strdup_printf ("az keyvault ... --vault-name %s", vault);

  gtk_label_set_text (label, text);
}

static void
checked (const char *token_type)
{
  g_setenv ("KEYLINK_MODE", token_type, TRUE);
}
'''


def self_test():
    bad = check_source('bad.c', SELF_TEST_BAD)
    good = check_source('good.c', SELF_TEST_GOOD)
    expected = 5
    for line in bad:
        print('  caught: ' + line)
    for line in good:
        print('  false alarm: ' + line)
    ok = len(bad) == expected and not good
    print('self-test: %d of %d problems caught, %d false alarms: %s'
          % (len(bad), expected, len(good), 'ok' if ok else 'FAILED'))
    return 0 if ok else 1


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    if len(argv) < 2:
        print('usage: check-secrets.py DIR… | --self-test', file=sys.stderr)
        return 2
    problems = []
    files = 0
    for directory in argv[1:]:
        found, n = check_tree(directory)
        problems += found
        files += n
    for line in problems:
        print(line)
    print('check-secrets: %d C files, %d problem(s)' % (files, len(problems)))
    if files == 0:
        return 1
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
