from .contrastive_loss import ViewContrastiveLoss, group_means, nt_xent

__all__ = ['ViewContrastiveLoss', 'nt_xent', 'group_means']
