# The touchstone image: the static release binary and nothing else (no
# shell, no libc beside the binary's own, a few MB). It is built from the
# release archives that scripts/release.sh writes, so the image runs the
# very binary whose checksum the release publishes:
#
#   scripts/release.sh x86_64-unknown-linux-gnu        # dist/touchstone-<target>.tar.gz
#   docker build -t touchstone .
#
# It builds the playbook in the folder mounted at /site into /site/public:
#
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" touchstone
#   docker run --rm -v "$PWD:/site" touchstone check --strict
#
# git is not in the image, so "last updated" dates come from `updated:`
# front matter only; a pipeline that wants git dates runs the binary.

FROM scratch AS build-amd64
ADD dist/touchstone-x86_64-unknown-linux-gnu.tar.gz /opt/touchstone/

FROM scratch AS build-arm64
ADD dist/touchstone-aarch64-unknown-linux-gnu.tar.gz /opt/touchstone/

# BuildKit sets TARGETARCH and builds only the stage for the platform asked for.
# hadolint ignore=DL3006
FROM build-${TARGETARCH}
WORKDIR /site
ENTRYPOINT ["/opt/touchstone/touchstone"]
CMD ["build"]
