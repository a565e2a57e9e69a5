#!/usr/bin/env bash
# ansible-test sanity on the working tree: it needs the collection under ansible_collections/<ns>/<name>/,
# so the tracked files (as they are now) are copied into .cache/sanity with amazon.aws and community.aws
# beside them. Offline, ansible-test's pip bootstrap download is replaced by ensurepip.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=$root/.venv
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
tree=$root/.cache/sanity/ansible_collections
dest=$tree/techblogpro/wordpress_aws

rm -rf "$dest"
mkdir -p "$dest" "$tree/amazon" "$tree/community"
ln -sfn "$site/ansible_collections/amazon/aws" "$tree/amazon/aws"
ln -sfn "$site/ansible_collections/community/aws" "$tree/community/aws"
# Tracked and new (not ignored) files, as they are in the working tree.
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
  if [ -e "$file" ]; then cp --parents "$file" "$dest/"; fi
done
(cd "$dest" && git init -q && git add -A && git -c user.email=ci@localhost -c user.name=ci commit -qm sanity)

mkdir -p "$HOME/.ansible/test/cache"
for stub in get_pip_24_2.py get_pip_25_0.py; do
  [ -f "$HOME/.ansible/test/cache/$stub" ] || printf 'import ensurepip\nensurepip.bootstrap(upgrade=True)\n' > "$HOME/.ansible/test/cache/$stub"
done

cd "$dest"
ANSIBLE_COLLECTIONS_PATH=$root/.cache/sanity "$venv/bin/ansible-test" sanity --local --python 3.11 "$@"
