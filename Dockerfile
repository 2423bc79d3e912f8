# One image for web, worker and beat. Pango is for WeasyPrint's PDFs.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=safeguarding.settings.production
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=portal:portal . .
# collectstatic needs settings but no real secret: a throwaway one, for this step only.
RUN SECRET_KEY=build-only-$(python -c "import secrets;print(secrets.token_urlsafe(50))") ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput
RUN mkdir -p /app/var/media && chown -R portal:portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "safeguarding.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
