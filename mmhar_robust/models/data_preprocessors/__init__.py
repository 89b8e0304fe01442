from .channels_last_preprocessor import ChannelsLastDataPreprocessor

__all__ = ['ChannelsLastDataPreprocessor']
