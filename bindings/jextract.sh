#!/usr/bin/env bash
# Regenerates src/main/java/dev/ffnn/cblas/cblas_h.java from cblas.h with jextract 22 or later.
#
# jextract is not on Maven Central, so the build never runs this script and the committed Java
# source is what ffnn compiles. cblas.h and openblas_config.h are copied unchanged from
# org/bytedeco/openblas/linux-x86_64/include/ in org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64.
# jextract overwrites cblas_h.java, so after regenerating, re-apply the changes that the comment at
# the top of the old file lists.
set -euo pipefail
cd "$(dirname "$0")"

jextract \
  --target-package dev.ffnn.cblas \
  --header-class-name cblas_h \
  --output src/main/java \
  --include-function cblas_dgemm \
  --include-function cblas_dgemv \
  --include-function cblas_daxpy \
  --include-function cblas_dscal \
  --include-function cblas_ddot \
  --include-function cblas_dnrm2 \
  --include-function cblas_dcopy \
  --include-function openblas_set_num_threads \
  --include-function openblas_get_num_threads \
  --include-function openblas_get_config \
  --include-function openblas_get_corename \
  --include-constant CblasRowMajor \
  --include-constant CblasColMajor \
  --include-constant CblasNoTrans \
  --include-constant CblasTrans \
  --include-constant CblasConjTrans \
  --include-constant CblasConjNoTrans \
  --include-constant CblasUpper \
  --include-constant CblasLower \
  --include-constant CblasNonUnit \
  --include-constant CblasUnit \
  --include-constant CblasLeft \
  --include-constant CblasRight \
  cblas.h
