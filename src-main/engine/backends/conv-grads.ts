// Convolution gradients rebuilt from a backend's own forward Conv2D, which (on wasm) is XNNPACK and
// far faster than the backend's gradient loops (or, for the filter gradient on wasm, than nothing).
import * as tf from '@tensorflow/tfjs';
import { KernelOps, type TensorInfo } from './kernel-ops';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Pair = [number, number];

interface GradAttrs {
  strides: number | Pair;
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function convInfo(kernel: string, xShape: number[], filterShape: number[], attrs: GradAttrs) {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${kernel}: only NHWC is supported, got NCHW`);
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

function explicit(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** A conv whose window covers the whole unpadded input once (e.g. 4x4 -> 1x1) is a plain matmul. */
function isDense(info: tf.backend_util.Conv2DInfo): boolean {
  const p = info.padInfo;
  return info.outHeight === 1 && info.outWidth === 1 && info.inHeight === info.filterHeight &&
    info.inWidth === info.filterWidth && p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0;
}

/**
 * dW[kh,kw,ci,co] = sum over b,oh,ow of x[b, oh*s+kh-pad, ow*s+kw-pad, ci] * dy[b,oh,ow,co]: a stride-1
 * Conv2D of x as [ci,H,W,B] with dy as the filter [oH,oW,B,co] dilated by the forward stride.
 */
export function backpropFilterKernel(backendName: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }: KernelArgs) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as GradAttrs & { filterShape: number[] };
    const info = convInfo('Conv2DBackpropFilter', x.shape, a.filterShape, a);
    const { filterHeight: kH, filterWidth: kW, strideHeight: sH, strideWidth: sW, inChannels: ci, outChannels: co } = info;
    const [, H, W] = x.shape;
    const [, oH, oW] = dy.shape;
    const { top, left } = info.padInfo;
    const ops = new KernelOps(backendName, backend as tf.KernelBackend);
    try {
      if (isDense(info)) {
        const b = x.shape[0];
        // Explicit transposes: wasm's BatchMatMul with transpose flags is 10-30x slower than without.
        const xm = ops.transpose(ops.reshape(x, [1, b, kH * kW * ci]), [0, 2, 1]);
        const dw = ops.run('BatchMatMul', { a: xm, b: ops.reshape(dy, [1, b, co]) }, { transposeA: false, transposeB: false });
        return ops.finish(ops.reshape(dw, [kH, kW, ci, co]));
      }
      const xt = ops.transpose(x, [3, 1, 2, 0]);
      const dyt = ops.transpose(dy, [1, 2, 0, 3]);
      // Pad the far side only as much as the last tap needs; any excess rows are sliced off below.
      const bottom = Math.max(0, kH + sH * (oH - 1) - H - top);
      const right = Math.max(0, kW + sW * (oW - 1) - W - left);
      const full = ops.run(
        'Conv2D',
        { x: xt, filter: dyt },
        { strides: [1, 1], dilations: [sH, sW], pad: explicit(top, bottom, left, right), dataFormat: 'NHWC' },
      );
      const cut = ops.slice(full, [0, 0, 0, 0], [ci, kH, kW, co]);
      return ops.finish(ops.transpose(cut, [1, 2, 0, 3]));
    } catch (err) {
      ops.abandon();
      throw err;
    }
  };
}

/** Flipped taps k0, k0+s, ... of w [kH,kW,ci,co], laid out [jH,jW,co,ci] as a forward filter. */
export function subFilter(w: Float32Array, shape: number[], s: Pair, k0: Pair, j: Pair): Float32Array {
  const [, kW, ci, co] = shape;
  const out = new Float32Array(j[0] * j[1] * co * ci);
  let o = 0;
  for (let jh = 0; jh < j[0]; jh++) {
    const kh = k0[0] + s[0] * (j[0] - 1 - jh);
    for (let jw = 0; jw < j[1]; jw++) {
      const base = (kh * kW + k0[1] + s[1] * (j[1] - 1 - jw)) * ci * co;
      for (let c = 0; c < co; c++) {
        for (let i = 0; i < ci; i++) out[o++] = w[base + i * co + c];
      }
    }
  }
  return out;
}

/**
 * One spatial axis of one output phase: dx rows ih = m*s + r (m < count) see taps k0, k0+s, ... of
 * the filter over dy rows starting at qStart; returns the padding (or cropping, when negative) of dy
 * that makes a stride-1 valid conv produce exactly those rows.
 */
export function phaseAxis(r: number, s: number, pad: number, k: number, outLen: number, count: number) {
  const k0 = (r + pad) % s;
  const taps = Math.max(0, Math.ceil((k - k0) / s));
  const qStart = Math.floor((r + pad) / s);
  const before = taps - 1 - qStart;
  const after = count - outLen - before + taps - 1;
  return { k0, taps, before, after };
}

/**
 * dx rows with (ih + padTop) % stride == p only see filter taps p', p'+s, ...: each of the stride²
 * phases is a stride-1 Conv2D of dy with a flipped sub-filter, computing only the rows it owns; the
 * phases are then stacked and interleaved by one transpose.
 */
export function backpropInputKernel(backendName: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }: KernelArgs) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as GradAttrs & { inputShape: number[] };
    const info = convInfo('Conv2DBackpropInput', a.inputShape, filter.shape, a);
    const { strideHeight: sH, strideWidth: sW, filterHeight: kH, filterWidth: kW, inChannels: ci } = info;
    const [B, H, W] = a.inputShape;
    const [, oH, oW] = dy.shape;
    // Every phase computes the same number of rows; when H % s != 0 the extra ones are sliced off.
    const cH = Math.ceil(H / sH);
    const cW = Math.ceil(W / sW);
    const ops = new KernelOps(backendName, backend as tf.KernelBackend);
    try {
      if (isDense(info)) {
        const co = filter.shape[3];
        const wm = ops.transpose(ops.reshape(filter, [1, kH * kW * ci, co]), [0, 2, 1]);
        const dx = ops.run('BatchMatMul', { a: ops.reshape(dy, [1, B, co]), b: wm }, { transposeA: false, transposeB: false });
        return ops.finish(ops.reshape(dx, [B, H, W, ci]));
      }
      const w = ops.readFloat32(filter);
      const phases: TensorInfo[] = [];
      for (let rh = 0; rh < sH; rh++) {
        const ah = phaseAxis(rh, sH, info.padInfo.top, kH, oH, cH);
        for (let rw = 0; rw < sW; rw++) {
          const aw = phaseAxis(rw, sW, info.padInfo.left, kW, oW, cW);
          let y: TensorInfo;
          if (ah.taps === 0 || aw.taps === 0) {
            y = ops.fromValues(new Float32Array(B * cH * cW * ci), [B, cH, cW, ci]);
          } else {
            const sub = ops.fromValues(subFilter(w, filter.shape, [sH, sW], [ah.k0, aw.k0], [ah.taps, aw.taps]), [ah.taps, aw.taps, filter.shape[3], ci]);
            // Negative padding means dy rows no output of this phase reads: crop them instead.
            const crop = [Math.max(0, -ah.before), Math.max(0, -ah.after), Math.max(0, -aw.before), Math.max(0, -aw.after)];
            const src = ops.slice(dy, [0, crop[0], crop[2], 0], [B, oH - crop[0] - crop[1], oW - crop[2] - crop[3], dy.shape[3]]);
            const pad = explicit(Math.max(0, ah.before), Math.max(0, ah.after), Math.max(0, aw.before), Math.max(0, aw.after));
            y = ops.run('Conv2D', { x: src, filter: sub }, { strides: [1, 1], dilations: [1, 1], pad, dataFormat: 'NHWC' });
          }
          phases.push(y);
        }
      }
      let z: TensorInfo;
      if (phases.length === 1) z = phases[0];
      else {
        // Stack [sH,sW,B*cH,cW,ci] (a plain copy per phase), then interleave with two transposes of
        // rank <= 4: wasm's rank-6 transpose is a slow generic loop (20x slower here).
        const stacked = ops.runMany('Concat', phases.map((p) => ops.reshape(p, [1, B * cH * cW * ci])), { axis: 0 });
        const wide = ops.transpose(ops.reshape(stacked, [sH, sW, B * cH * cW, ci]), [0, 2, 1, 3]);
        const rows = ops.transpose(ops.reshape(wide, [sH, B * cH, cW * sW * ci]), [1, 0, 2]);
        z = ops.reshape(rows, [B, cH * sH, cW * sW, ci]);
      }
      return ops.finish(ops.slice(z, [0, 0, 0, 0], [B, H, W, ci]));
    } catch (err) {
      ops.abandon();
      throw err;
    }
  };
}
