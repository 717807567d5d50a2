;; Adam for the head's big kernel in 128-bit wasm SIMD (issue 17, item 5): simd-adam.ts loads it.
;; After editing, `node scripts/build-wat.mjs` writes simd-adam.wasm.ts (the bytes the app
;; loads); simd-adam.test.ts fails while the two differ.
;;
;; adam(w, m, v, g, n, ...) updates n float32 values (n a multiple of 4) at the byte offsets w
;; (weights), m and v (first and second moments) from the gradient at g, in place, with the same
;; operations in the same order as tf.train.adam:
;;   m = m * beta1 + g * (1 - beta1)
;;   v = v * beta2 + (g * g) * (1 - beta2)
;;   w = (m / c1) / (sqrt(v / c2) + eps) * (-lr) + w       (c1 = 1 - beta1^t, c2 = 1 - beta2^t)
(module
  (import "env" "memory" (memory 1))
  (func (export "adam")
    (param $w i32) (param $m i32) (param $v i32) (param $g i32) (param $n i32)
    (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $c1 f32) (param $c2 f32) (param $eps f32) (param $negLr f32)
    (local $end i32)
    (local $gi v128) (local $mi v128) (local $vi v128)
    (local $B1 v128) (local $OB1 v128) (local $B2 v128) (local $OB2 v128)
    (local $C1 v128) (local $C2 v128) (local $EPS v128) (local $NLR v128)
    (local.set $B1 (f32x4.splat (local.get $beta1)))
    (local.set $OB1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $B2 (f32x4.splat (local.get $beta2)))
    (local.set $OB2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $NLR (f32x4.splat (local.get $negLr)))
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
      (loop $next
        (local.set $gi (v128.load (local.get $g)))
        (local.set $mi
          (f32x4.add
            (f32x4.mul (v128.load (local.get $m)) (local.get $B1))
            (f32x4.mul (local.get $gi) (local.get $OB1))))
        (local.set $vi
          (f32x4.add
            (f32x4.mul (v128.load (local.get $v)) (local.get $B2))
            (f32x4.mul (f32x4.mul (local.get $gi) (local.get $gi)) (local.get $OB2))))
        (v128.store (local.get $m) (local.get $mi))
        (v128.store (local.get $v) (local.get $vi))
        (v128.store (local.get $w)
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $mi) (local.get $C1))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vi) (local.get $C2))) (local.get $EPS)))
              (local.get $NLR))
            (v128.load (local.get $w))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $w) (local.get $end))))))
)
