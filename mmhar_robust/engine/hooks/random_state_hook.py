"""Keep the random states in checkpoints, so that a resumed training equals an
uninterrupted one bit for bit (docs/training.md, "Resume equals an
uninterrupted run")."""
import logging
import random
from typing import Any, Dict, Optional, Tuple

import numpy as np
import torch
from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log

from ...registry import HOOKS

#: The checkpoint key the states are saved under.
STATES_KEY = 'random_states'
FORMAT_VERSION = 1


def get_random_states() -> Dict[str, Any]:
    """The global random states of this process as plain types and tensors.

    Python's ``random``, numpy's global RNG (as its parts), torch's CPU
    generator and, where CUDA is available, every CUDA device's generator.
    The result holds no numpy object, so ``torch.load(weights_only=True)``
    reads it back without any allow-list.

    Returns:
        dict: ``python``, ``numpy``, ``torch`` and, with CUDA, ``cuda``.
    """
    version, internal, gauss_next = random.getstate()
    kind, keys, pos, has_gauss, cached_gaussian = np.random.get_state()
    states = dict(
        python=dict(
            version=int(version),
            state=torch.tensor(internal, dtype=torch.int64),
            gauss_next=gauss_next),
        numpy=dict(
            kind=str(kind),
            keys=torch.from_numpy(keys.astype(np.int64)),
            pos=int(pos),
            has_gauss=int(has_gauss),
            cached_gaussian=float(cached_gaussian)),
        torch=torch.get_rng_state())
    if torch.cuda.is_available():
        states['cuda'] = list(torch.cuda.get_rng_state_all())
    return states


def _field(states: Dict[str, Any], *path: str) -> Any:
    value = states
    for depth, key in enumerate(path):
        if not isinstance(value, dict) or key not in value:
            where = ''.join(f'[{k!r}]' for k in path[:depth + 1])
            raise KeyError(f'{STATES_KEY}{where} is missing: the random '
                           'states of this checkpoint are incomplete')
        value = value[key]
    return value


def set_random_states(states: Dict[str, Any]) -> None:
    """Restore what :func:`get_random_states` returned.

    CUDA generators are restored only where the number of devices is the
    same as when they were saved.

    Args:
        states (dict): The states.

    Raises:
        KeyError: naming the missing field.
        ValueError: naming the field whose value does not fit.
    """
    python_state = tuple(
        torch.as_tensor(_field(states, 'python', 'state')).tolist())
    keys = np.asarray(_field(states, 'numpy', 'keys'), dtype=np.int64)
    torch_state = _field(states, 'torch')
    # Check everything before setting anything: no half-restored states.
    expected = dict(
        python=len(random.getstate()[1]),
        numpy=np.random.get_state()[1].size,
        torch=torch.get_rng_state().numel())
    found = dict(
        python=len(python_state),
        numpy=keys.size,
        torch=torch.as_tensor(torch_state).numel())
    for name, size in found.items():
        if size != expected[name]:
            raise ValueError(f'{STATES_KEY}[{name!r}] holds {size} values, '
                             f'a state of this generator {expected[name]}')
    random.setstate((_field(states, 'python', 'version'), python_state,
                     _field(states, 'python', 'gauss_next')))
    np.random.set_state(
        (_field(states, 'numpy', 'kind'), keys.astype(np.uint32),
         _field(states, 'numpy', 'pos'), _field(states, 'numpy', 'has_gauss'),
         _field(states, 'numpy', 'cached_gaussian')))
    torch.set_rng_state(torch_state)
    cuda = states.get('cuda')
    if cuda is not None and torch.cuda.is_available():
        if len(cuda) == torch.cuda.device_count():
            torch.cuda.set_rng_state_all(cuda)
        else:
            print_log(
                f'{STATES_KEY}: {len(cuda)} CUDA generators saved, '
                f'{torch.cuda.device_count()} devices now; CUDA random states '
                'not restored',
                logger='current',
                level=logging.WARNING)


def _loader_seeds(runner) -> Dict[str, Optional[int]]:
    """The seeds the training loader draws its order and workers from."""
    loader = runner.train_dataloader
    init_fn = getattr(loader, 'worker_init_fn', None)
    return dict(
        sampler_seed=getattr(loader.sampler, 'seed', None),
        worker_seed=getattr(init_fn, 'keywords', {}).get('seed'))


def _adopt_loader_seeds(runner, states: Dict[str, Any], differs: str) -> None:
    """Give the training loader the checkpoint's sampler and worker seeds.

    ``Runner.resume`` adopts the checkpoint's seed when the config's differs
    (or is None, a random one), but the training loader was built before,
    with the config's: its order and its workers' seeds would differ.
    """
    loader = runner.train_dataloader
    init_fn = getattr(loader, 'worker_init_fn', None)
    targets = dict(
        sampler_seed=(loader.sampler, 'seed'),
        worker_seed=(getattr(init_fn, 'keywords', None), 'seed'))
    for key, now in _loader_seeds(runner).items():
        saved = states.get(key)
        if saved == now:
            continue
        owner, name = targets[key]
        if saved is not None and now is not None:
            if isinstance(owner, dict):  # functools.partial's keywords
                owner[name] = saved
            else:
                setattr(owner, name, saved)
            print_log(
                f'the training loader\'s {key} {now} set to the '
                f'checkpoint\'s {saved}',
                logger='current')
        else:
            print_log(
                f'the training loader\'s {key} is {now}, the checkpoint\'s '
                f'{saved}: {differs}',
                logger='current',
                level=logging.WARNING)


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Save the random states in every checkpoint and restore them on resume.

    MMEngine's resume brings back the weights, optimizer, schedulers and
    counters, and re-seeds from the config, but not the states the global
    generators reached: python's ``random``, numpy's global RNG (which
    mmaction2's training transforms draw from in the main process when
    ``num_workers=0``), torch's CPU generator (dropout, the dataloader's base
    seed) and CUDA's. This hook

    - takes them at the end of every training epoch, before anything else
      (validation, checkpointing) runs, and puts them back at the start of
      the next epoch, so the training stream does not depend on validation
      (mmaction2's ``UniformSampleFrames`` re-seeds numpy's global RNG with
      255 in test mode);
    - writes these end-of-epoch states to ``checkpoint['random_states']``;
    - when a run resumes from that checkpoint, restores them at the start of
      the resumed epoch (after ``Runner.resume``, which may re-seed), and
      gives the training loader's sampler and ``worker_init_fn`` the
      checkpoint's seeds (``Runner.resume`` adopts the checkpoint's seed
      only after the loader was built: without ``randomness.seed`` the
      order and workers would follow a new random seed).

    Guaranteed for epoch-based training in one process: the resumed run
    equals the uninterrupted one on CPU with ``num_workers=0`` or with
    non-persistent workers (MMEngine seeds those from the seed, rank and
    worker id when each epoch starts them). Persistent workers keep states
    this hook cannot reach; a resume then warns.

    Our ``default_runtime`` config registers it as a default hook.
    """
    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._end_of_epoch: Optional[Dict[str, Any]] = None
        # From after_load_checkpoint: (states, epoch, iter) of the file.
        self._loaded: Optional[Tuple[Optional[dict], Any, Any]] = None

    def after_train_epoch(self, runner) -> None:
        self._end_of_epoch = get_random_states()

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        states = self._end_of_epoch
        if states is None:  # saved in an iteration (iteration-based loops)
            states = get_random_states()
        checkpoint[STATES_KEY] = dict(
            states,
            version=FORMAT_VERSION,
            world_size=get_world_size(),
            **_loader_seeds(runner))

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        # Restored later: Runner.resume re-seeds after this hook when the
        # checkpoint's seed differs from the config's.
        meta = checkpoint.get('meta', {})
        self._loaded = (checkpoint.get(STATES_KEY), meta.get('epoch'),
                        meta.get('iter'))

    def before_train_epoch(self, runner) -> None:
        loaded, self._loaded = self._loaded, None
        if loaded is not None:
            states, epoch, iteration = loaded
            # Resumed from this file: Runner.resume set the counters from
            # it (load_from leaves them at 0).
            resumed = (epoch, iteration) == (runner.epoch, runner.iter)
            if resumed and (epoch, iteration) != (0, 0):
                self._end_of_epoch = None
                self._resume(runner, states)
                return
        if self._end_of_epoch is not None:
            set_random_states(self._end_of_epoch)
            self._end_of_epoch = None

    def _resume(self, runner, states: Optional[Dict[str, Any]]) -> None:
        differs = 'the resumed run will differ from an uninterrupted one'
        if states is None:
            print_log(
                f'the checkpoint has no {STATES_KEY} (saved without '
                f'RandomStateHook): {differs}',
                logger='current',
                level=logging.WARNING)
            return
        world_size = (states.get('world_size', 1), get_world_size())
        if world_size != (1, 1):
            print_log(
                f'{STATES_KEY} are restored in single-process runs only '
                f'(world size {world_size[0]} then, {world_size[1]} now): '
                f'{differs}',
                logger='current',
                level=logging.WARNING)
            return
        set_random_states(states)
        _adopt_loader_seeds(runner, states, differs)
        loader = runner.train_dataloader
        if loader.num_workers > 0 and loader.persistent_workers:
            print_log(
                'persistent dataloader workers keep random states this hook '
                'cannot save (mmaction2\'s transforms draw from numpy\'s '
                f'global RNG in the workers): {differs}; use '
                'persistent_workers=False or num_workers=0 for an exact '
                'resume',
                logger='current',
                level=logging.WARNING)
        print_log(
            f'restored {STATES_KEY} (python, numpy, torch'
            f'{", cuda" if "cuda" in states else ""})',
            logger='current')
