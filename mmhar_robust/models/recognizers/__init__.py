from .contrastive_recognizer import (ContrastiveMixin, ContrastiveRecognizer3D,
                                     ContrastiveRecognizerGCN)

__all__ = [
    'ContrastiveMixin', 'ContrastiveRecognizer3D', 'ContrastiveRecognizerGCN'
]
