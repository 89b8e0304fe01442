from .gather import gather_with_grad

__all__ = ['gather_with_grad']
