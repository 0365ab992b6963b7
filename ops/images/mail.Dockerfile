# Stand-in for axllent/mailpit, from Debian's own packages (ops/images/build-local.sh): SMTP on
# 1025 and the part of Mailpit's HTTP API the stack uses on 8025, at the path Mailpit's own
# image has (/mailpit), so docker-compose.yml's healthcheck (`/mailpit readyz`) works as is.
ARG BASE=praktijkleren-local/debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-aiosmtpd \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10002 mail-catcher
COPY mailcatcher.py /mailpit
RUN chmod 755 /mailpit
USER mail-catcher
EXPOSE 1025 8025
CMD ["/mailpit"]
