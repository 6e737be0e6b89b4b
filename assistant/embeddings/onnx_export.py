"""Build an int8 ONNX copy of a local transformer encoder, offline, once per model fingerprint.

Why: on 2 CPU cores the fp32 torch encoder is the ingest bottleneck. Exporting with eager attention
lets onnxruntime's transformer optimizer fuse each layer's attention into one ``Attention`` op,
and dynamic int8 quantization (per-channel weights) then runs it on VNNI/AVX2 integer kernels:
about 3x the fp32 throughput at a mean cosine of ~0.997 to fp32 on real law articles.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import ModelUnavailable

log = logging.getLogger(__name__)

INT8_FILENAME = "model-int8.onnx"
_OPSET = 17


def onnx_dependencies_available() -> bool:
    """True when both ``onnx`` and ``onnxruntime`` import."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def ensure_int8_onnx(model_dir: Path, cache_dir: Path, fingerprint: str) -> Path:
    """Path of the int8 ONNX file for ``model_dir`` under ``cache_dir/onnx``; built on first use."""
    target = Path(cache_dir).expanduser() / "onnx" / fingerprint / INT8_FILENAME
    if target.is_file():
        return target
    if not onnx_dependencies_available():
        raise ModelUnavailable(
            "int8 embedding needs the packages 'onnx' and 'onnxruntime' (pip install onnx onnxruntime), "
            "or set HUIQI_EMBEDDING_QUANTIZE=false to run the fp32 model"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("building int8 ONNX encoder for %s (once; ~1 min on 2 cores)", model_dir)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=target.parent) as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        export_fp32(model_dir, fp32)
        partial = Path(tmp) / INT8_FILENAME
        optimize_and_quantize(fp32, model_dir, partial)
        os.replace(partial, target)  # atomic: readers never see a half-written model
    return target


def export_fp32(model_dir: Path, out: Path) -> None:
    """Export ``AutoModel`` (eager attention) with inputs input_ids/attention_mask -> last_hidden_state."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.tensor([[0, 5, 6, 7, 2], [0, 5, 6, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
    dynamic = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer chatter about data-dependent branches that do not apply here
        # the TorchScript exporter produces the classic BERT graph the optimizer knows how to fuse
        torch.onnx.export(
            _Encoder(model),
            (ids, mask),
            str(out),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "last_hidden_state": dynamic},
            opset_version=_OPSET,
            dynamo=False,
        )


def optimize_and_quantize(fp32: Path, model_dir: Path, out: Path) -> None:
    """Fuse attention/LayerNorm/GELU, then quantize MatMul and Attention weights to int8 per channel."""
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    optimized = optimize_model(
        str(fp32),
        model_type="bert",
        num_heads=int(config.get("num_attention_heads", 0)),
        hidden_size=int(config.get("hidden_size", 0)),
        opt_level=1,
    )
    fused = optimized.get_fused_operator_statistics()
    log.info("onnx fusion: %s", {k: v for k, v in fused.items() if v})
    with _quiet_root_logger():
        quantize_dynamic(
            optimized.model,
            str(out),
            op_types_to_quantize=["MatMul", "Attention"],
            per_channel=True,
            weight_type=QuantType.QInt8,
            # fused contrib ops defeat shape inference; their outputs are float
            extra_options={"DefaultTensorType": TensorProto.FLOAT},
        )


@contextmanager
def _quiet_root_logger():
    """onnxruntime.quantization logs one line per tensor on the root logger; mute it for the build."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(previous)
