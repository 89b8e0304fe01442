"""Packaging for mmhar_robust, following OpenMMLab's setup.py layout.

``install_requires`` holds only the plain runtime libraries. The OpenMMLab stack
(mmcv or mmcv-lite, mmengine, mmaction2) is listed in ``requirements/mminstall.txt``
and checked at import time, so that a user with a full mmcv build is never forced
onto mmcv-lite.
"""
import os.path as osp
from typing import List

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def readme() -> str:
    with open(osp.join(HERE, 'README.md'), encoding='utf-8') as f:
        return f.read()


def get_version() -> str:
    scope: dict = {}
    with open(osp.join(HERE, 'mmhar_robust', 'version.py'), encoding='utf-8') as f:
        exec(compile(f.read(), 'version.py', 'exec'), scope)
    return scope['__version__']


def parse_requirements(fname: str) -> List[str]:
    """Read a requirements file, skipping comments and ``-r`` includes."""
    reqs = []
    with open(osp.join(HERE, fname), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line and not line.startswith('-'):
                reqs.append(line)
    return reqs


setup(
    name='mmhar_robust',
    version=get_version(),
    description='Robustness and explanation toolkit for MMAction2: keypoint '
    'noise, contrastive training, noise sweeps and Grad-CAM.',
    long_description=readme(),
    long_description_content_type='text/markdown',
    keywords='action recognition, skeleton, robustness, mmaction2, grad-cam',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'docs',
                                    'benchmarks')),
    include_package_data=True,
    python_requires='>=3.8',
    classifiers=[
        'License :: OSI Approved :: Apache Software License',
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
    license='Apache License 2.0',
    install_requires=parse_requirements('requirements/runtime.txt'),
    extras_require={
        'tests': parse_requirements('requirements/tests.txt'),
        'mim': parse_requirements('requirements/mminstall.txt'),
    },
    zip_safe=False)
