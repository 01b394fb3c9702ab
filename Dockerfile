# vnplans with Tesseract and its Vietnamese model, for archives that run containers.
#   docker build -t vnplans .
#   docker run --rm -v "$PWD:/data" vnplans convert /data/scans --out /data/converted -j 2
FROM python:3.11-slim

# Tesseract (vie + osd for page orientation), the fonts the searchable PDF and samples use, pdftoppm.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-liberation2 fonts-dejavu-core poppler-utils \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY pyproject.toml setup.py README.md constraints.txt ./
COPY src ./src
COPY models ./models
COPY dictionaries ./dictionaries
# A regular (non-editable) install: the models and dictionaries go into site-packages as package data.
RUN pip install --no-cache-dir -c constraints.txt . && rm -rf /src

# Unpacked language model and derived tables inside the container (VNPLANS_CACHE_DIR=off disables it).
ENV VNPLANS_CACHE_DIR=/tmp/vnplans-cache OMP_THREAD_LIMIT=1
WORKDIR /data
ENTRYPOINT ["vnplans"]
CMD ["--help"]
