"""Sample-quality metrics (FID, KID, IS) through torch-fidelity, online or with local weights."""
from .convert import UInt8Images, to_uint8
from .evaluate import NO_LOGITS, evaluate, generate_images
from .result import Metrics
from .weights import WEIGHTS_ENV, has_logits, inception_weights

__all__ = ["Metrics", "NO_LOGITS", "UInt8Images", "WEIGHTS_ENV", "evaluate", "generate_images", "has_logits",
           "inception_weights", "to_uint8"]
