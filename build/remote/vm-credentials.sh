#!/bin/sh
# The VM's credentials for a release, checked before anything is pulled or stopped (docs/gcp.md):
# - the service's key file (KEY_FILE; empty: none, the service uses the VM's service account) is a
#   file the container's user (KEY_UID) can read: it is mounted read-only into the container;
# - docker (root) logs in to the image's registry as the VM's service account: an access token from
#   the VM's metadata server (METADATA_HOST; empty: docker is already authenticated) goes to
#   `docker login -u oauth2accesstoken --password-stdin`, as gcloud's credential helper does on GCP.
#   Skipped when the image is already on the VM: nothing will be pulled.
# The token never reaches a command line or the output. Each failure is one line on stderr naming the
# VM, the credential and what to fix: exit 3 no token, 4 the registry refused it, 5 the key file.
# Usage: vm-credentials.sh VM IMAGE METADATA_HOST KEY_FILE KEY_UID
set -eu
[ "$#" -eq 5 ] || { echo "usage: vm-credentials.sh VM IMAGE METADATA_HOST KEY_FILE KEY_UID" >&2; exit 2; }
vm=$1 image=$2 metadata=$3 key=$4 uid=$5
registry=${image%%/*}

# Folds an answer into one short line for a message.
one_line() { printf '%s' "$1" | tr '\n' ' ' | cut -c1-300; }

if [ -n "$key" ]; then
  if [ ! -f "$key" ]; then
    echo "$vm: the service's key file $key (deploy.googleCredentialsFile) is not on the VM; nothing was pulled or stopped: install it with install -D -o root -g $uid -m 0440 KEY.json $key" >&2
    exit 5
  fi
  if ! setpriv --reuid "$uid" --regid "$uid" --clear-groups test -r "$key"; then
    echo "$vm: the service's key file $key (deploy.googleCredentialsFile) is not readable by the container's user $uid; nothing was pulled or stopped: chgrp $uid $key && chmod 0440 $key" >&2
    exit 5
  fi
fi

if [ -z "$metadata" ] || docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi
account_url="http://$metadata/computeMetadata/v1/instance/service-accounts/default"
account="the VM's service account (metadata server $metadata)"
# The metadata server answers in the VM's own time; a Google library allows it a few seconds too.
if ! answer=$(curl --silent --show-error --fail-with-body --max-time 10 --header 'Metadata-Flavor: Google' "$account_url/token" 2>&1); then
  echo "$vm: no access token for $account: $(one_line "$answer"); docker cannot pull from $registry, nothing was pulled or stopped: check that the VM has a service account and that its metadata server answers" >&2
  exit 3
fi
token=$(printf '%s' "$answer" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
if [ -z "$token" ]; then
  echo "$vm: the metadata server $metadata answered no access_token; docker cannot pull from $registry, nothing was pulled or stopped" >&2
  exit 3
fi
if email=$(curl --silent --fail --max-time 10 --header 'Metadata-Flavor: Google' "$account_url/email"); then
  account="$email, the VM's service account (metadata server $metadata)"
fi
if ! refusal=$(printf '%s' "$token" | docker login --username oauth2accesstoken --password-stdin "$registry" 2>&1); then
  echo "$vm: the registry $registry refused the token of $account: $(one_line "$refusal"); nothing was pulled or stopped: grant the account roles/artifactregistry.reader on the repository, and give the VM a scope that allows pulls (storage-ro or cloud-platform)" >&2
  exit 4
fi
