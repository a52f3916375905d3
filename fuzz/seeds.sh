#!/usr/bin/env bash
# Rewrites fuzz/seeds/ from the repository's real files plus a few hand-written inputs.
# Run it after the vault format, a shipped theme, the default config or the default
# keymap changes: fuzz/seeds.sh
set -euo pipefail
cd "$(dirname "$0")"
root=..
rm -rf seeds
mkdir -p seeds/{vault_envelope,vault_plaintext,theme,config,keymap,password}

cp "$root/tests/vectors/v1.aspen" seeds/vault_envelope/v1.aspen
cp "$root/tests/vectors/v3.plain.ron" seeds/vault_plaintext/v3.plain.ron
cp "$root/tests/vectors/v2.aspen" seeds/vault_envelope/v2.aspen
cp "$root/tests/vectors/v3.aspen" seeds/vault_envelope/v3.aspen
for f in "$root"/themes/*.ron; do cp "$f" "seeds/theme/$(basename "$f")"; done
cp "$root/src/config.default.ron" seeds/config/default.ron
printf '(rotation_days: 90, clipboard: "osc52", unlock_time_secs: 0.5, keys: { "main": { "d": Revoke } })\n' \
    > seeds/config/patch.ron
cp "$root/src/tui/keymap.default.ron" seeds/keymap/default.ron
printf '{ "main": { "d": Revoke, "Ctrl-Alt-x": Lock, "F12": Help, "Space": Reveal }, "help": { "q": Quit } }' > seeds/keymap/patch.ron
printf 'Ctrl-d' > seeds/keymap/key-ctrl
printf 'F5' > seeds/keymap/key-f
printf 'abcd-efgh-ijkl-mnop' > seeds/password/hyphens
printf 'abcd efgh ijkl mnop\n' > seeds/password/spaces
printf 'abcdefghijklmnop' > seeds/password/bare
printf 'Hunter2!' > seeds/password/any-format
