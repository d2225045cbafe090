#!/usr/bin/env python3
"""Checks editors/helix/languages.toml against Helix's languages.toml schema (see EDITORS.md).

Helix cannot be installed in CI, so this is a static check: unknown keys in [[language]] make Helix
reject the whole file, so they are errors here too. Exit status 0 when valid, 1 with the problems.
Usage: helix_config_test.py [FILE]   (default: editors/helix/languages.toml)
"""
import pathlib
import sys
import tomllib

REPO = pathlib.Path(__file__).resolve().parents[2]

# helix-core/src/syntax/config.rs (LanguageConfiguration); serde deny_unknown_fields.
LANGUAGE_KEYS = {
    "name", "language-id", "scope", "file-types", "shebangs", "roots", "comment-token",
    "comment-tokens", "block-comment-tokens", "text-width", "soft-wrap", "auto-format",
    "formatter", "diagnostic-severity", "grammar", "injection-regex", "indent", "language-servers",
    "auto-pairs", "debugger", "rulers", "workspace-lsp-roots", "persistent-diagnostic-sources",
    "rainbow-brackets", "word-completion", "path-completion",
}
SERVER_KEYS = {"command", "args", "config", "environment", "timeout", "required-root-patterns"}
SERVER_FEATURE_KEYS = {"name", "only-features", "except-features"}


def is_str_list(value):
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def check(doc):
    problems = []
    servers = doc.get("language-server", {})
    if not isinstance(servers, dict) or not servers:
        problems.append("no [language-server.NAME] table")
        servers = {}
    for name, server in servers.items():
        where = f"[language-server.{name}]"
        if not isinstance(server.get("command"), str) or not server["command"]:
            problems.append(f"{where}: `command` (a string) is required")
        if "args" in server and not is_str_list(server["args"]):
            problems.append(f"{where}: `args` must be a list of strings")
        for key in ("config", "environment"):
            if key in server and not isinstance(server[key], dict):
                problems.append(f"{where}: `{key}` must be a table")
        if "timeout" in server and not (isinstance(server["timeout"], int) and server["timeout"] > 0):
            problems.append(f"{where}: `timeout` must be a positive whole number of seconds")
        if "required-root-patterns" in server and not is_str_list(server["required-root-patterns"]):
            problems.append(f"{where}: `required-root-patterns` must be a list of globs")
        # Helix ignores unknown keys here, silently: flag them so a typo does not go unnoticed.
        for key in server.keys() - SERVER_KEYS:
            problems.append(f"{where}: unknown key `{key}` (Helix would ignore it)")

    languages = doc.get("language", [])
    if not isinstance(languages, list) or not languages:
        problems.append("no [[language]] table")
        languages = []
    used = set()
    for index, language in enumerate(languages):
        where = f"[[language]] #{index + 1} ({language.get('name', '?')})"
        for key in sorted(language.keys() - LANGUAGE_KEYS):
            problems.append(f"{where}: unknown key `{key}` (Helix rejects the whole file)")
        for key in ("name", "scope"):
            if not isinstance(language.get(key), str) or not language[key]:
                problems.append(f"{where}: `{key}` (a string) is required")
        file_types = language.get("file-types")
        if not isinstance(file_types, list) or not file_types:
            problems.append(f"{where}: `file-types` (a non-empty list) is required")
            file_types = []
        for entry in file_types:
            if isinstance(entry, dict):
                if set(entry) != {"glob"} or not isinstance(entry["glob"], str):
                    problems.append(f"{where}: file-types entry {entry!r}: only `{{ glob = \"...\" }}` is allowed")
            elif not isinstance(entry, str) or not entry:
                problems.append(f"{where}: file-types entry {entry!r} must be a string or {{ glob = ... }}")
        if "roots" in language and not is_str_list(language["roots"]):
            problems.append(f"{where}: `roots` must be a list of file names")
        if "language-id" in language and not isinstance(language["language-id"], str):
            problems.append(f"{where}: `language-id` must be a string")
        for entry in language.get("language-servers", []):
            if isinstance(entry, dict):
                for key in entry.keys() - SERVER_FEATURE_KEYS:
                    problems.append(f"{where}: language-servers entry: unknown key `{key}`")
                if "only-features" in entry and "except-features" in entry:
                    problems.append(f"{where}: language-servers entry: only-features and except-features exclude each other")
                name = entry.get("name")
            else:
                name = entry
            if not isinstance(name, str):
                problems.append(f"{where}: language-servers entry {entry!r} has no name")
            elif name not in servers:
                problems.append(f"{where}: language server `{name}` is not defined in [language-server.*]")
            else:
                used.add(name)
    for name in servers.keys() - used:
        problems.append(f"[language-server.{name}] is not used by any [[language]]")
    return problems


def check_galley(doc):
    """What galley's config must say, beyond being valid Helix."""
    problems = []
    server = doc.get("language-server", {}).get("galley", {})
    if server.get("command") != "galley" or server.get("args") != ["lsp"]:
        problems.append("[language-server.galley] must run `galley lsp`")
    languages = [l for l in doc.get("language", []) if "galley" in
                 [s if isinstance(s, str) else s.get("name") for s in l.get("language-servers", [])]]
    if len(languages) != 1:
        problems.append("exactly one [[language]] must use galley")
    else:
        language = languages[0]
        if "bulletin" not in language.get("file-types", []):
            problems.append("the transcription language must include file type `bulletin`")
        if ".galley.json" not in language.get("roots", []):
            problems.append("the transcription language must have root `.galley.json`")
    return problems


def self_test():
    """The checker must catch the mistakes it exists for (a checker that passes everything is no test)."""
    good = {"language-server": {"galley": {"command": "galley", "args": ["lsp"]}},
            "language": [{"name": "t", "scope": "text.t", "file-types": ["bulletin", {"glob": "*.txt"}],
                          "roots": [".galley.json"], "language-servers": ["galley"]}]}
    assert check(good) == [] and check_galley(good) == [], check(good) + check_galley(good)
    bad_cases = [
        ("unknown key", lambda d: d["language"][0].update({"filetypes": ["txt"]})),
        ("no scope", lambda d: d["language"][0].pop("scope")),
        ("no file-types", lambda d: d["language"][0].pop("file-types")),
        ("bad glob entry", lambda d: d["language"][0]["file-types"].append({"suffix": ".txt"})),
        ("undefined server", lambda d: d["language"][0].update({"language-servers": ["gally"]})),
        ("no command", lambda d: d["language-server"]["galley"].pop("command")),
    ]
    import copy
    for label, mutate in bad_cases:
        doc = copy.deepcopy(good)
        mutate(doc)
        assert check(doc), f"self-test: {label} not detected"


def main():
    self_test()
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "editors/helix/languages.toml"
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    problems = check(doc) + check_galley(doc)
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    if problems:
        return 1
    print(f"helix config ok: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
