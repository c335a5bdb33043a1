#!/usr/bin/env python3
# check-format-strings.py — server text is data, never a format.
#
#   check-format-strings.py [--build BUILD_DIR] DIR…
#   check-format-strings.py --self-test
#
# 1. Every call of a printf-like function (GLib's, libc's and Keylink's own) in the C files
#    under DIR has a format that is a string literal, a translated literal (_(), N_(), C_(),
#    g_dngettext(), …) or a macro in capitals that stands for one. The v-functions may also
#    pass on a parameter named "format" (of a function that is G_GNUC_PRINTF itself).
# 2. With --build: every C file of src/ is compiled with -Wformat-nonliteral and
#    -Werror=format-security (read from BUILD_DIR/compile_commands.json), so the compiler
#    keeps checking what this script cannot see.
# Prints one line per problem and exits 1 if there is any; --self-test proves that the
# checks catch what they should (exit 0) on made-up code.
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
from c_source import c_files, chunks, strip_comments  # noqa: E402

# Function → index of its format argument.
PRINTF_FUNCTIONS = {
    'printf': 0, 'fprintf': 1, 'sprintf': 1, 'snprintf': 2, 'vprintf': 0, 'vfprintf': 1,
    'vsnprintf': 2, 'dprintf': 1, 'syslog': 1,
    'g_printf': 0, 'g_fprintf': 1, 'g_sprintf': 1, 'g_snprintf': 2, 'g_vsnprintf': 2,
    'g_strdup_printf': 0, 'g_strdup_vprintf': 0, 'g_print': 0, 'g_printerr': 0,
    'g_string_printf': 1, 'g_string_append_printf': 1, 'g_string_vprintf': 1,
    'g_string_append_vprintf': 1,
    'g_error': 0, 'g_critical': 0, 'g_warning': 0, 'g_message': 0, 'g_info': 0, 'g_debug': 0,
    'g_log': 2, 'g_logv': 2, 'g_warning_once': 0,
    'g_set_error': 3, 'g_error_new': 2, 'g_error_new_valist': 2, 'g_prefix_error': 1,
    'g_propagate_prefixed_error': 2, 'g_task_return_new_error': 3,
    'g_task_report_new_error': 5, 'g_simple_async_report_error_in_idle': 5,
    'g_dbus_method_invocation_return_error': 3,
    'g_output_stream_printf': 4, 'g_markup_printf_escaped': 0, 'g_markup_vprintf_escaped': 0,
    'g_test_message': 0, 'g_test_fail_printf': 0, 'g_test_skip_printf': 0,
    'g_test_incomplete_printf': 0, 'g_test_summary': 0,
    'gtk_message_dialog_new': 4, 'gtk_message_dialog_format_secondary_text': 1,
    'gtk_message_dialog_format_secondary_markup': 1,
    'adw_message_dialog_format_heading': 1, 'adw_message_dialog_format_body': 1,
    'adw_message_dialog_format_heading_markup': 1, 'adw_message_dialog_format_body_markup': 1,
    'adw_toast_new_format': 0, 'adw_message_dialog_new': -1,
    'kl_error_set_bad_response': 1, 'kl_sim_failure_new': 3,
}
# These take a va_list: passing on their own caller's format is how they are used.
V_FUNCTIONS = {name for name in PRINTF_FUNCTIONS if 'vprintf' in name or name.endswith('valist')
               or name in ('vsnprintf', 'g_vsnprintf', 'g_logv')}

# Translation functions → the arguments that must be literals (the message ids).
TRANSLATORS = {
    '_': (0,), 'N_': (0,), 'Q_': (0,), 'gettext': (0,), 'C_': (1,), 'NC_': (1,),
    'dgettext': (1,), 'g_dgettext': (1,), 'dcgettext': (1,), 'g_dpgettext': (1,),
    'g_dpgettext2': (2,), 'ngettext': (0, 1), 'dngettext': (1, 2), 'g_dngettext': (1, 2),
}

KEYWORDS_BEFORE_CALL = {'return', 'else', 'case', 'do', 'sizeof'}


def split_arguments(text, start):
    """@start is just after '('. Returns (arguments, index after ')') or (None, …)."""
    depth = 0
    args = []
    current = []
    for i, chunk in chunks(text, start):
        if chunk in ('(', '[', '{'):
            depth += 1
        elif chunk in (')', ']', '}'):
            if depth == 0:
                args.append(''.join(current).strip())
                return args, i + 1
            depth -= 1
        elif chunk == ',' and depth == 0:
            args.append(''.join(current).strip())
            current = []
            continue
        current.append(chunk)
    return None, len(text)


def is_declaration(text, name_start):
    """Whether the name at @name_start is declared or defined there, not called."""
    j = name_start - 1
    while j >= 0 and text[j] in ' \t\n':
        j -= 1
    if j < 0:
        return True
    if text[j] == '*':
        return True
    if re.match(r'[A-Za-z0-9_]', text[j]):
        k = j
        while k >= 0 and re.match(r'[A-Za-z0-9_]', text[k]):
            k -= 1
        word = text[k + 1:j + 1]
        return word not in KEYWORDS_BEFORE_CALL
    # A macro definition: #define g_debug(...)
    line_start = text.rfind('\n', 0, name_start) + 1
    return text[line_start:name_start].lstrip().startswith('#')


def format_is_safe(name, argument):
    argument = argument.strip()
    while argument.startswith('(') and argument.endswith(')'):
        argument = argument[1:-1].strip()
    if argument.startswith('"'):
        return True
    match = re.match(r'([A-Za-z_][A-Za-z0-9_]*)\s*(\(|")?', argument)
    if not match:
        return False
    word, after = match.group(1), match.group(2)
    if word in TRANSLATORS and after == '(':
        # The whole argument is the call, and its message ids are literals.
        inner, end = split_arguments(argument, match.end())
        if inner is None or argument[end:].strip():
            return False
        return all(i < len(inner) and inner[i].startswith('"') for i in TRANSLATORS[word])
    # A macro in capitals that stands for (or starts) a literal: "%" G_GINT64_FORMAT, REDACTED.
    if re.fullmatch(r'[A-Z][A-Z0-9_]*', word) and after != '(':
        return True
    # A v-function handing on the format of its own (G_GNUC_PRINTF) caller; the compiler's
    # -Wformat-nonliteral checks that the caller is one.
    if name in V_FUNCTIONS and re.fullmatch(r'[a-z_]*format', argument):
        return True
    return False


def check_source(path, text):
    problems = []
    clean = strip_comments(text)
    pattern = re.compile(r'\b(' + '|'.join(sorted(PRINTF_FUNCTIONS, key=len, reverse=True)) +
                         r')\s*\(')
    for match in pattern.finditer(clean):
        name = match.group(1)
        index = PRINTF_FUNCTIONS[name]
        if index < 0 or is_declaration(clean, match.start(1)):
            continue
        args, _ = split_arguments(clean, match.end())
        if args is None or len(args) <= index:
            continue
        if not format_is_safe(name, args[index]):
            line = clean.count('\n', 0, match.start()) + 1
            problems.append('%s:%d: %s() with a format that is not a literal: %s'
                            % (path, line, name, ' '.join(args[index].split())[:80]))
    return problems


def check_tree(directory):
    problems = []
    for path, text in c_files(directory):
        problems += check_source(path, text)
    return problems


def check_build(build_dir, source_root):
    """Every C file of src/ is compiled with the format warnings on."""
    path = os.path.join(build_dir, 'compile_commands.json')
    with open(path, encoding='utf-8') as f:
        commands = json.load(f)
    problems = []
    seen = 0
    src = os.path.join(os.path.realpath(source_root), 'src') + os.sep
    for entry in commands:
        source = os.path.realpath(os.path.join(entry['directory'], entry['file']))
        if not source.startswith(src) or not source.endswith('.c'):
            continue
        seen += 1
        command = entry.get('command') or ' '.join(entry.get('arguments', []))
        for flag in ('-Wformat-nonliteral', '-Werror=format-security', '-Werror=format=2'):
            if flag not in command.split():
                problems.append('%s: compiled without %s' % (entry['file'], flag))
    if seen == 0:
        problems.append('%s: no C file of src/ in it' % path)
    return problems


SELF_TEST_BAD = r'''
static void f (const char *detail, GError **error, GString *s)
{
  g_debug (detail);
  g_set_error (error, KL_ERROR, KL_ERROR_FAILED, detail);
  char *m = g_strdup_printf (kl_atlas_error_get_detail (e));
  g_string_append_printf (s,
                          detail, 1);
  g_task_return_new_error (task, KL_ERROR, 0, message);
  kl_error_set_bad_response (error, text);
  g_warning (_(x) ? a : b);
  g_strdup_vprintf (text, args);
  g_message (_(detail));
  g_print (g_dngettext (NULL, one, "%u things", n), n);
}
'''
SELF_TEST_GOOD = r'''
void
kl_error_set_bad_response (GError     **error,
                           const char  *format,
                           ...) G_GNUC_PRINTF (2, 3);
#define g_debug(...) g_log (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, __VA_ARGS__)
static void f (const char *detail, GError **error, GString *s, const char *format, va_list args)
{
  /* g_debug (detail); in a comment */
  g_debug ("HTTP %u: %s", status, detail);
  g_set_error (error, KL_ERROR, KL_ERROR_FAILED, _("“%s” is not an id."), detail);
  g_set_error_literal (error, KL_ERROR, KL_ERROR_FAILED, detail);
  char *m = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", n), n);
  g_string_append_printf (s, "%" G_GINT64_FORMAT, v);
  g_strdup_printf ("%.*s: " REDACTED, (int) n, line);
  return g_strdup_vprintf (format, args);
  failure->detail = g_strdup_vprintf (detail_format, args);
  g_message (C_("context", "%s"), x);
  g_test_message ("a string with \" and (, ) inside: %s", ")(");
}
'''


def self_test():
    bad = check_source('bad.c', SELF_TEST_BAD)
    good = check_source('good.c', SELF_TEST_GOOD)
    expected = 10
    ok = len(bad) == expected and not good
    for line in bad:
        print('  caught: ' + line)
    for line in good:
        print('  false alarm: ' + line)
    print('self-test: %d of %d bad calls caught, %d false alarms: %s'
          % (len(bad), expected, len(good), 'ok' if ok else 'FAILED'))
    return 0 if ok else 1


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    args = argv[1:]
    build = None
    if len(args) >= 2 and args[0] == '--build':
        build = args[1]
        args = args[2:]
    if not args:
        print(__doc__ or 'usage: check-format-strings.py [--build BUILD_DIR] DIR…',
              file=sys.stderr)
        return 2
    problems = []
    for directory in args:
        problems += check_tree(directory)
    if build is not None:
        source_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        problems += check_build(build, source_root)
    for line in problems:
        print(line)
    print('check-format-strings: %d problem(s) in %s' % (len(problems), ', '.join(args)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
