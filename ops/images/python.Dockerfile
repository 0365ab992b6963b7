# Stand-in for python:3.11-slim-bookworm, from Debian's own packages (ops/images/build-local.sh).
ARG BASE=praktijkleren-local/debian:bookworm
FROM ${BASE}
# ca/: the certificate authorities this machine trusts beyond Debian's (build-local.sh copies
# them from LOCAL_CA_DIR), for networks that inspect TLS on the way to the package registries.
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && update-ca-certificates \
    && ln -s /usr/bin/python3 /usr/local/bin/python
# The official image's pip installs into /usr/local freely; Debian's asks for this first. pip
# and uv read the system's certificate store (with ca/ in it).
ENV LANG=C.UTF-8 \
    PIP_BREAK_SYSTEM_PACKAGES=1 \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    UV_SYSTEM_CERTS=1 \
    UV_NATIVE_TLS=1
CMD ["python3"]
