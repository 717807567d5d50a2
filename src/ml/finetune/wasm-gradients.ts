import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs' wasm backend the adapter uses. */
interface WasmLike extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

const adapted = new Set<string>();

/**
 * tfjs' wasm backend has no kernels for some gradients that fine-tuning needs (the backward passes
 * of Conv2D and DepthwiseConv2D: Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter/Input).
 * For every kernel the CPU backend has and wasm lacks, this registers a wasm kernel that copies
 * the inputs to the CPU backend, runs its kernel there and copies the result back. Only the
 * backward pass of the unfrozen top uses them (small 7x7 or 14x14 activations). Idempotent; does
 * nothing on other backends (WebGL has all of them).
 */
export async function ensureGradientKernels(): Promise<string[]> {
  if (tf.getBackend() !== 'wasm') return [];
  const cpu = tf.engine().findBackend('cpu');
  if (!cpu) return [];
  const have = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  for (const config of tf.getKernelsForBackend('cpu')) {
    const name = config.kernelName;
    if (have.has(name) || adapted.has(name)) continue;
    adapted.add(name);
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: ({ inputs, attrs, backend }) => {
        const wasm = backend as WasmLike;
        const moved: tf.TensorInfo[] = [];
        const cpuInputs: Record<string, tf.TensorInfo> = {};
        for (const [key, info] of Object.entries(inputs)) {
          if (!info) continue;
          const values = wasm.readSync(info.dataId) as tf.backend_util.TypedArray;
          const copy = { dataId: cpu.write(values.slice(), info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
          moved.push(copy);
          cpuInputs[key] = copy;
        }
        try {
          const out = config.kernelFunc({ inputs: cpuInputs, attrs, backend: cpu });
          const back = (o: tf.TensorInfo) => {
            const values = cpu.readSync(o.dataId);
            cpu.disposeData(o.dataId);
            return wasm.makeOutput(o.shape, o.dtype, undefined, values);
          };
          return Array.isArray(out) ? out.map(back) : back(out as tf.TensorInfo);
        } finally {
          moved.forEach((t) => cpu.disposeData(t.dataId));
        }
      },
    });
  }
  return [...adapted];
}
