"""Times the reference PyTorch GANomaly (samet-akcay/ganomaly) on images given as raw float32, for
bench/reference.ts. Imports the reference from the checkout named by --ref (nothing of it is copied
here) and calls its own Ganomaly.optimize_params, one batch at a time, as its train loop does.
Prints one JSON line: {"train_ips": ..., "train_cpu_ips": ..., "score_ips": ..., ...} (images per second
of wall time, and per second of the process's CPU time over all its threads).

Run: python3 bench/reference_driver.py --ref <checkout> --images <file.f32> --count N --isize 32
     --nc 1 --batch 64 --steps 10 --threads 2
The file holds N images NHWC in [-1, 1] (what bench/reference.ts writes).
"""
import argparse
import json
import os
import sys
import tempfile
import time
import types

import numpy as np
import torch


def stub_unused_imports():
    """The reference imports plotting and progress packages at module level that training never calls
    (torchvision.utils for saving images, tqdm for its epoch loop, sklearn/scipy/matplotlib for
    evaluation): empty stand-ins for whichever is not installed let it load without them."""
    def missing(name):
        try:
            __import__(name)
            return False
        except ImportError:
            return True

    if missing('torchvision'):
        tv = types.ModuleType('torchvision')
        tv.utils = types.ModuleType('torchvision.utils')
        sys.modules['torchvision'] = tv
        sys.modules['torchvision.utils'] = tv.utils
    if missing('tqdm'):
        tq = types.ModuleType('tqdm')
        tq.tqdm = lambda it, **_: it
        sys.modules['tqdm'] = tq
    if any(missing(m) for m in ('sklearn', 'scipy', 'matplotlib')):
        ev = types.ModuleType('lib.evaluate')
        ev.evaluate = lambda *a, **k: 0.0
        sys.modules['lib.evaluate'] = ev


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--ref', required=True)
    p.add_argument('--images', required=True)
    p.add_argument('--count', type=int, required=True)
    p.add_argument('--isize', type=int, default=32)
    p.add_argument('--nc', type=int, default=1)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    sys.path.insert(0, a.ref)
    stub_unused_imports()
    from lib.model import Ganomaly  # noqa: E402  (the reference's own model)

    x = np.fromfile(a.images, dtype=np.float32).reshape(a.count, a.isize, a.isize, a.nc)
    x = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))  # NCHW, as PyTorch wants
    out = tempfile.mkdtemp(prefix='ganomaly-ref-')
    opt = argparse.Namespace(
        isize=a.isize, nc=a.nc, nz=100, ngf=64, ndf=64, extralayers=0, ngpu=1, batchsize=a.batch,
        lr=0.0002, beta1=0.5, w_adv=1, w_con=50, w_enc=1, manualseed=0, device='cpu', gpu_ids=[],
        isTrain=True, resume='', outf=out, name='bench', display=False, display_id=0, iter=0, niter=1,
        print_freq=10 ** 9, save_image_freq=10 ** 9, metric='roc', load_weights=False,
        save_test_images=False, phase='train',
    )
    model = Ganomaly(opt, {})
    batches = a.count // a.batch  # the reference drops the last partial batch
    labels = torch.zeros(a.batch, dtype=torch.long)

    def step(i):
        b = i % batches
        model.total_steps += a.batch
        model.set_input((x[b * a.batch:(b + 1) * a.batch], labels))
        model.optimize_params()

    model.total_steps = 0
    step(0)  # warm-up: allocator, Adam's state
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(1, a.steps + 1):
        step(i)
    train_s, train_cpu = time.perf_counter() - t0, time.process_time() - c0

    # Scoring: the generator's forward pass over every image in batches, as its test() does.
    with torch.no_grad():
        model.netg(x[:a.batch])
        t0 = time.perf_counter()
        for s in range(0, a.count, a.batch):
            model.netg(x[s:s + a.batch])
        score_s = time.perf_counter() - t0
    print(json.dumps({
        'train_ips': a.steps * a.batch / train_s, 'train_cpu_ips': a.steps * a.batch / train_cpu, 'score_ips': a.count / score_s, 'steps': a.steps,
        'threads': torch.get_num_threads(), 'torch': torch.__version__,
        'err_g': float(model.err_g.item()), 'err_d': float(model.err_d.item()),
    }))


if __name__ == '__main__':
    main()
