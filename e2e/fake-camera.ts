/**
 * A video file for Chromium's `--use-file-for-fake-video-capture`: an MJPEG stream (JPEG frames
 * back to back, which Chromium plays at 30 fps, looped) made in Node with jpeg-js, so the tests
 * need no ffmpeg. MJPEG keeps colours exact (Y4M shifts them).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';

/** Writes `frames` copies of the photo, stretched to width x height (bilinear), and returns the file's path. */
export function mjpegOfPhoto(photo: string, frames = 30, width = 640, height = 480): string {
  const src = jpeg.decode(readFileSync(photo), { useTArray: true, formatAsRGBA: true });
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, Math.max(0, ((y + 0.5) * src.height) / height - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.max(0, ((x + 0.5) * src.width) / width - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const at = (xx: number, yy: number) => src.data[(yy * src.width + xx) * 4 + c] as number;
        const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
        const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
        out[(y * width + x) * 4 + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
      out[(y * width + x) * 4 + 3] = 255;
    }
  }
  const frame = jpeg.encode({ data: out, width, height }, 95).data;
  const path = join(mkdtempSync(join(tmpdir(), 'cam-')), 'camera.mjpeg');
  writeFileSync(path, Buffer.concat(Array.from({ length: frames }, () => frame)));
  return path;
}
