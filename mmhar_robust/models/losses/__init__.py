from .contrastive_loss import ViewContrastiveLoss, class_means, view_contrast

__all__ = ['ViewContrastiveLoss', 'view_contrast', 'class_means']
