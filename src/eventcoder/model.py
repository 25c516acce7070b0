"""The multitask model: one encoder, an event-type head and a casualty-mention head, one forward pass.

The casualty head classifies each candidate number mention (from `eventcoder.numbers`) into `O` or an
outcome:group label from the pooled token states of its span, of a few tokens either side of it
(`mention_context`: the noun and verb that say who and what, e.g. "20 militants were killed") and
the window's mean state.
It is a `PreTrainedModel` registered with the Auto classes, so `save_pretrained` /
`from_pretrained` / `AutoModel.from_pretrained` work on its directory, after `import eventcoder.model`
or, in a process that has not imported it, with `trust_remote_code=True` (the saved `auto_map`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PretrainedConfig, PreTrainedModel
from transformers.utils import ModelOutput


class EventCoderConfig(PretrainedConfig):
    model_type = "eventcoder"

    def __init__(self, encoder: dict[str, Any] | None = None, event_labels: list[str] | None = None,
                 mention_labels: list[str] | None = None, taxonomy: dict[str, Any] | None = None,
                 window_length: int = 256, window_stride: int = 64, mention_loss_weight: float = 1.0,
                 event_class_weights: list[float] | None = None,
                 mention_class_weights: list[float] | None = None, classifier_dropout: float = 0.1,
                 mention_context: int = 0, headline_context: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.encoder = encoder or {}
        self.event_labels = list(event_labels or [])
        self.mention_labels = list(mention_labels or ["O"])
        self.taxonomy = taxonomy or {}
        self.window_length = window_length
        self.window_stride = window_stride
        self.mention_loss_weight = mention_loss_weight
        self.event_class_weights = event_class_weights
        self.mention_class_weights = mention_class_weights
        self.classifier_dropout = classifier_dropout
        self.mention_context = mention_context  # tokens either side pooled as the mention's context (0: none)
        self.headline_context = headline_context  # every window of a headlined article starts with its headline

    def encoder_config(self) -> PretrainedConfig:
        enc = dict(self.encoder)
        return AutoConfig.for_model(enc.pop("model_type"), **enc)


@dataclass
class EventCoderOutput(ModelOutput):
    loss: torch.Tensor | None = None
    event_logits: torch.Tensor | None = None
    mention_logits: torch.Tensor | None = None


class EventCoderModel(PreTrainedModel):
    config_class = EventCoderConfig
    base_model_prefix = "encoder"
    supports_gradient_checkpointing = True

    def __init__(self, config: EventCoderConfig) -> None:
        super().__init__(config)
        self.encoder = AutoModel.from_config(config.encoder_config(), add_pooling_layer=False)
        hidden = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(config.classifier_dropout)
        self.event_head = nn.Linear(hidden, len(config.event_labels))
        parts = 3 if config.mention_context > 0 else 2
        self.mention_head = nn.Sequential(nn.Linear(parts * hidden, hidden), nn.GELU(), nn.Dropout(
            config.classifier_dropout), nn.Linear(hidden, len(config.mention_labels)))
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        if isinstance(module, nn.Linear) and module is not None and not any(
                module is m for m in self.encoder.modules()):
            module.weight.data.normal_(mean=0.0, std=0.02)
            if module.bias is not None:
                module.bias.data.zero_()

    @classmethod
    def from_backbone(cls, backbone_dir: str, event_labels: list[str], mention_labels: list[str],
                      **config_kwargs: Any) -> EventCoderModel:
        """A new model whose encoder starts from a pretrained BERT-like directory."""
        enc = AutoModel.from_pretrained(backbone_dir, add_pooling_layer=False)
        config = EventCoderConfig(encoder=enc.config.to_dict(), event_labels=event_labels,
                                  mention_labels=mention_labels, **config_kwargs)
        model = cls(config)
        model.encoder.load_state_dict(enc.state_dict())
        return model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                token_type_ids: torch.Tensor | None = None, mention_spans: torch.Tensor | None = None,
                event_labels: torch.Tensor | None = None, mention_labels: torch.Tensor | None = None,
                **_: Any) -> EventCoderOutput:
        """mention_spans: [B, M, 2] token [start, end) per candidate (end=0 for padding)."""
        kwargs = {"attention_mask": attention_mask}
        if token_type_ids is not None:
            kwargs["token_type_ids"] = token_type_ids
        states = self.encoder(input_ids=input_ids, **kwargs).last_hidden_state  # [B, T, H]
        # window summary: mean of token states (how all-MiniLM-L6-v2 was trained), not [CLS]
        tmask = (attention_mask if attention_mask is not None else torch.ones_like(input_ids)).to(states.dtype)
        summary = (states * tmask[..., None]).sum(1) / tmask.sum(1, keepdim=True).clamp(min=1.0)
        cls_state = self.dropout(summary)
        event_logits = self.event_head(cls_state)
        mention_logits = None
        if mention_spans is not None and mention_spans.shape[1] > 0:
            positions = torch.arange(states.shape[1], device=states.device)[None, None, :]
            start, end = mention_spans[..., :1], mention_spans[..., 1:]
            features = [self._pool(states, (positions >= start) & (positions < end))]
            k = int(self.config.mention_context)
            if k > 0:  # padded slots (end=0) pool nothing and get zeros; their labels are ignored
                near = (positions >= start - k) & (positions < end + k) & (end > 0)
                if attention_mask is not None:
                    near = near & attention_mask[:, None, :].bool()
                features.append(self._pool(states, near))
            features.append(cls_state[:, None, :].expand_as(features[0]))
            joint = torch.cat(features, dim=-1)
            mention_logits = self.mention_head(joint)  # [B, M, L]
        loss = None
        if event_labels is not None or mention_labels is not None:
            loss = torch.zeros((), device=states.device)
            if event_labels is not None and (event_labels != -100).any():
                w = self._weights(self.config.event_class_weights, states)
                loss = loss + nn.functional.cross_entropy(event_logits, event_labels, weight=w,
                                                          ignore_index=-100)
            if mention_logits is not None and mention_labels is not None and (mention_labels != -100).any():
                w = self._weights(self.config.mention_class_weights, states)
                loss = loss + self.config.mention_loss_weight * nn.functional.cross_entropy(
                    mention_logits.reshape(-1, mention_logits.shape[-1]), mention_labels.reshape(-1),
                    weight=w, ignore_index=-100)
        return EventCoderOutput(loss=loss, event_logits=event_logits, mention_logits=mention_logits)

    @staticmethod
    def _pool(states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean of the token states selected by mask [B, M, T] → [B, M, H]."""
        weights = mask.to(states.dtype)
        return torch.bmm(weights, states) / weights.sum(-1, keepdim=True).clamp(min=1.0)

    @staticmethod
    def _weights(values: list[float] | None, ref: torch.Tensor) -> torch.Tensor | None:
        return None if not values else torch.tensor(values, dtype=ref.dtype, device=ref.device)


def keep_encoder_layers(model: EventCoderModel, layers: list[int]) -> EventCoderModel:
    """Shrink the encoder in place to the given layers of a trained model (a student to distil:
    DistilBERT-style initialisation from the teacher's own layers), keeping the config in step so
    `save_pretrained`/`from_pretrained` round-trip."""
    blocks = model.encoder.encoder.layer
    if not layers or any(not 0 <= i < len(blocks) for i in layers) or sorted(set(layers)) != list(layers):
        raise ValueError(f"keep_layers {list(layers)}: need increasing indices in 0..{len(blocks) - 1}")
    model.encoder.encoder.layer = nn.ModuleList([blocks[i] for i in layers])
    model.encoder.config.num_hidden_layers = len(layers)
    model.config.encoder = {**model.config.encoder, "num_hidden_layers": len(layers)}
    return model


AutoConfig.register("eventcoder", EventCoderConfig, exist_ok=True)
AutoModel.register(EventCoderConfig, EventCoderModel, exist_ok=True)
# save_pretrained also copies this file beside the weights and writes `auto_map` into config.json, so a
# process that never imports eventcoder loads a model dir with AutoModel.from_pretrained(dir,
# trust_remote_code=True); hence this module imports nothing but torch and transformers
EventCoderConfig.register_for_auto_class()
EventCoderModel.register_for_auto_class("AutoModel")
