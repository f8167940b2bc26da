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

/** Flipped, strided taps of filter [kH,kW,ci,co] for output phase (ph,pw), laid out [jH,jW,co,ci]. */
function subFilter(w: Float32Array, shape: number[], s: Pair, ph: number, pw: number, jH: number, jW: number): Float32Array {
  const [, kW, ci, co] = shape;
  const out = new Float32Array(jH * jW * co * ci);
  let o = 0;
  for (let jh = 0; jh < jH; jh++) {
    const kh = ph + s[0] * (jH - 1 - jh);
    for (let jw = 0; jw < jW; jw++) {
      const kw = pw + s[1] * (jW - 1 - jw);
      const base = (kh * kW + kw) * ci * co;
      for (let c = 0; c < co; c++) {
        for (let i = 0; i < ci; i++) out[o++] = w[base + i * co + c];
      }
    }
  }
  return out;
}

/**
 * dx rows with (ih + padTop) % stride == p only see filter taps p, p+s, ...: each of the stride²
 * phases is a stride-1 Conv2D of dy with a flipped sub-filter; the phases are interleaved back.
 */
export function backpropInputKernel(backendName: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }: KernelArgs) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as GradAttrs & { inputShape: number[] };
    const info = convInfo('Conv2DBackpropInput', a.inputShape, filter.shape, a);
    const { strideHeight: sH, strideWidth: sW, filterHeight: kH, filterWidth: kW, inChannels: ci } = info;
    const [B, H, W] = a.inputShape;
    const [, oH, oW] = dy.shape;
    const { top, left } = info.padInfo;
    const qH = Math.ceil((top + H) / sH);
    const qW = Math.ceil((left + W) / sW);
    const ops = new KernelOps(backendName, backend as tf.KernelBackend);
    try {
      const w = ops.readFloat32(filter);
      const rows: TensorInfo[] = [];
      for (let ph = 0; ph < sH; ph++) {
        const cols: TensorInfo[] = [];
        for (let pw = 0; pw < sW; pw++) {
          const jH = Math.max(0, Math.ceil((kH - ph) / sH));
          const jW = Math.max(0, Math.ceil((kW - pw) / sW));
          let y: TensorInfo;
          if (jH === 0 || jW === 0) {
            y = ops.fromValues(new Float32Array(B * qH * qW * ci), [B, qH, qW, ci]);
          } else {
            const sub = ops.fromValues(subFilter(w, filter.shape, [sH, sW], ph, pw, jH, jW), [jH, jW, filter.shape[3], ci]);
            const pad = explicit(jH - 1, Math.max(0, qH - oH), jW - 1, Math.max(0, qW - oW));
            const conv = ops.run('Conv2D', { x: dy, filter: sub }, { strides: [1, 1], dilations: [1, 1], pad, dataFormat: 'NHWC' });
            y = ops.slice(conv, [0, 0, 0, 0], [B, qH, qW, ci]);
          }
          cols.push(sH === 1 && sW === 1 ? y : ops.reshape(y, [B, qH, 1, qW, 1, ci]));
        }
        const row = cols.length === 1 ? cols[0] : ops.runMany('Concat', cols, { axis: 4 });
        rows.push(row);
      }
      const all = rows.length === 1 ? rows[0] : ops.runMany('Concat', rows, { axis: 2 });
      const z = sH === 1 && sW === 1 ? all : ops.reshape(all, [B, qH * sH, qW * sW, ci]);
      return ops.finish(ops.slice(z, [0, top, left, 0], [B, H, W, ci]));
    } catch (err) {
      ops.abandon();
      throw err;
    }
  };
}
