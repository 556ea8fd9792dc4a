"""The inference layer: load once, then classify many times.

Image decoding and preprocessing run on a thread pool ahead of the model through a bounded window, so memory stays
flat however many inputs stream in, and results are yielded batch by batch as soon as they are ready.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .backends.base import Backend
from .checkpoints import load_backend, parse_checkpoint
from .errors import InputError, UsageError
from .images.decode import decode
from .images.fetch import FetchLimits, fetch
from .images.sources import ImageSource, expand
from .notices import ALL_LOW, classification_notices
from .prototypes import PrototypeCache, Prototypes, build_prototypes, cache_key
from .ranking import cosine_matrix, top_k_indices
from .request import DEFAULT_LOW_CONFIDENCE, DEFAULT_TOP_K, ClassificationRequest
from .results import CheckpointInfo, ClassificationResult, ClassScore, ImageResult


def _sources(images: Iterable[str | ImageSource]) -> Iterator[ImageSource]:
    for ref in images:
        if isinstance(ref, ImageSource):
            yield ref
        else:
            yield from expand([ref])


@dataclass(frozen=True)
class _Loaded:
    index: int
    ref: str
    item: Any = None
    error: str | None = None


class ZeroShotClassifier:
    """A loaded checkpoint ready to rank candidate classes for images.

    >>> clf = ZeroShotClassifier.from_checkpoint("google/siglip2-base-patch16-224")  # doctest: +SKIP
    >>> result = clf.classify(["cat.jpg"], ["cat", "dog", "fox"])  # doctest: +SKIP
    """

    def __init__(
        self,
        backend: Backend,
        *,
        batch_size: int = 32,
        workers: int | None = None,
        use_cache: bool = True,
        cache_dir: str | Path | None = None,
        fetch_limits: FetchLimits | None = None,
        fast_jpeg: bool = False,
    ) -> None:
        if batch_size < 1:
            raise UsageError(f"--batch-size must be at least 1, got {batch_size}")
        self.backend = backend
        self.batch_size = batch_size
        self.workers = workers or min(16, 2 * (os.cpu_count() or 1) + 2)
        self.cache = PrototypeCache(Path(cache_dir) if cache_dir else None) if use_cache else None
        self.fetch_limits = fetch_limits or FetchLimits()
        # Reduced-scale JPEG decoding needs a known input size; NaFlex checkpoints have none, so they decode fully.
        self.jpeg_draft = backend.info.resolution if fast_jpeg else None
        self._memo: dict[str, np.ndarray] = {}
        self.text_tower_calls = 0  # prompts encoded by this instance; 0 after a warm cache start

    @classmethod
    def from_checkpoint(
        cls,
        checkpoint: str | None,
        *,
        revision: str | None = None,
        device: str = "auto",
        dtype: str = "auto",
        **kwargs: Any,
    ) -> ZeroShotClassifier:
        spec = parse_checkpoint(checkpoint, revision)
        return cls(load_backend(spec, device, dtype), **kwargs)

    @property
    def info(self) -> CheckpointInfo:
        return self.backend.info

    # -- prototypes -------------------------------------------------------------------------------------------
    def prototypes(self, classes: tuple[str, ...], templates: tuple[str, ...]) -> Prototypes:
        """Memoised per process, then the disk cache, then the text tower (the only step that runs it)."""
        key = cache_key(self.backend, classes, templates, str(getattr(self.backend, "dtype", "")))
        if key in self._memo:
            return self._memo[key]
        proto = self.cache.load(key, len(classes)) if self.cache else None
        if proto is None:
            proto = build_prototypes(self.backend, classes, templates)
            self.text_tower_calls += len(classes) * len(templates)
            if self.cache:
                self.cache.save(key, proto)
        self._memo[key] = proto
        return proto

    # -- images -----------------------------------------------------------------------------------------------
    def _load(self, index: int, source: ImageSource) -> _Loaded:
        if source.error:
            return _Loaded(index, source.ref, error=source.error)
        try:
            if source.kind == "url":
                image = decode(fetch(source.ref, self.fetch_limits), source.ref, jpeg_draft=self.jpeg_draft)
            else:
                image = decode(Path(source.ref), source.ref, jpeg_draft=self.jpeg_draft)
            return _Loaded(index, source.ref, item=self.backend.preprocess(image))
        except InputError as exc:
            return _Loaded(index, source.ref, error=str(exc))
        except Exception as exc:
            return _Loaded(
                index, source.ref, error=f"{source.ref}: could not be preprocessed ({type(exc).__name__}: {exc})"
            )

    def _rank(self, batch: list[_Loaded], proto: np.ndarray, request: ClassificationRequest) -> dict[int, ImageResult]:
        ok = [b for b in batch if b.error is None]
        out: dict[int, ImageResult] = {}
        if ok:
            emb = self.backend.encode_images([b.item for b in ok])
            cos = cosine_matrix(emb, proto)
            prob = self.backend.score_rule.probabilities(cos)
            top = top_k_indices(cos, request.top_k)
            names = request.classes.names
            for row, b in enumerate(ok):
                scores = tuple(
                    ClassScore(rank + 1, names[j], float(cos[row, j]), float(prob[row, j]))
                    for rank, j in enumerate(top[row])
                )
                out[b.index] = ImageResult(
                    b.index, b.ref, "ok", top_k=scores, low_confidence=scores[0].cosine < request.low_confidence
                )
        for b in batch:
            if b.error is not None:
                out[b.index] = ImageResult(b.index, b.ref, "error", error=b.error)
        return out

    def iter_results(
        self, images: Iterable[str | ImageSource], request: ClassificationRequest
    ) -> Iterator[ImageResult]:
        """Yield one result per input, in input order, as soon as its batch is done."""
        proto = self.prototypes(request.classes.names, request.templates.items).vectors
        window = max(2 * self.batch_size, self.workers)
        with ThreadPoolExecutor(
            self.workers, thread_name_prefix="clip-zero-shot-load", initializer=self.backend.prepare_loader_thread
        ) as pool:
            pending: deque[Future[_Loaded]] = deque()
            ready: list[_Loaded] = []
            index = 0
            stream_iter = _sources(images)
            exhausted = False
            while True:
                # At most `window` inputs are being loaded ahead of the model, whatever the input count.
                while not exhausted and len(pending) < window:
                    src = next(stream_iter, None)
                    if src is None:
                        exhausted = True
                        break
                    pending.append(pool.submit(self._load, index, src))
                    index += 1
                if not pending:
                    break
                ready.append(pending.popleft().result())
                # A batch closes at batch_size inputs, failed ones included, so a run of failures streams out at
                # once instead of piling up while waiting for good images to fill the batch.
                if len(ready) >= self.batch_size or not pending:
                    ranked = self._rank(ready, proto, request)
                    yield from (ranked[b.index] for b in ready)
                    ready = []

    def start(self, request: ClassificationRequest) -> ClassificationResult:
        """An empty result carrying all metadata; the caller appends image results (used for streaming)."""
        # Truncation is found while building prototypes and cached with them: a warm start tokenizes nothing.
        truncated = self.prototypes(request.classes.names, request.templates.items).truncated
        return ClassificationResult(
            checkpoint=self.info,
            classes=request.classes.names,
            templates=request.templates.items,
            template_source=request.templates.source,
            top_k=request.top_k,
            low_confidence_threshold=request.low_confidence,
            notices=classification_notices(),
            dropped_duplicate_classes=request.classes.dropped_duplicates,
            truncated_prompts=truncated,
            contains_people=request.contains_people,
            consent_policy=request.consent_policy,
        )

    @staticmethod
    def finish(result: ClassificationResult) -> ClassificationResult:
        tally = result.tally
        if tally.classified and tally.low_confidence == tally.classified:
            result.notices = (*result.notices, ALL_LOW)
        return result

    def classify_request(
        self, images: Iterable[str | ImageSource], request: ClassificationRequest
    ) -> ClassificationResult:
        result = self.start(request)
        for r in self.iter_results(images, request):
            result.record(r)
        return self.finish(result)

    def classify(
        self,
        images: Iterable[str],
        classes: list[str] | tuple[str, ...],
        *,
        templates: list[str] | tuple[str, ...] | None = None,
        template_set: str | None = None,
        top_k: int = DEFAULT_TOP_K,
        low_confidence: float = DEFAULT_LOW_CONFIDENCE,
        contains_people: bool = False,
        consent_policy: str | None = None,
    ) -> ClassificationResult:
        """Rank `classes` for every image. Guards run first; a refusal raises RefusalError before any work."""
        request = ClassificationRequest.build(
            classes,
            templates=templates,
            template_set=template_set,
            top_k=top_k,
            low_confidence=low_confidence,
            contains_people=contains_people,
            consent_policy=consent_policy,
        )
        return self.classify_request(list(images), request)
