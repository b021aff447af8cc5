// The single import point for TensorFlow.js: native backends (when installed) register themselves
// on this same instance, so every module sees the backend chosen in backend.ts.
import * as tf from '@tensorflow/tfjs'

export { tf }
export type Tensor = tf.Tensor
export type Tensor2D = tf.Tensor2D
