# Stand-in for python:3.11-slim-bookworm, from Debian's own packages (ops/images/build-local.sh).
ARG BASE=praktijkleren-local/debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s /usr/bin/python3 /usr/local/bin/python
# The official image's pip installs into /usr/local freely; Debian's asks for this first.
ENV LANG=C.UTF-8 PIP_BREAK_SYSTEM_PACKAGES=1
CMD ["python3"]
