/** Video inputs the browser lists (labels appear once permission was granted). */
export async function listCameras(): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  return (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
}

/** Opens a camera (by device id, or the user-facing one) at about 640x480. */
export async function openCamera(deviceId: string | null): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser has no camera access (a secure https page is needed).');
  return navigator.mediaDevices.getUserMedia({
    video: deviceId ? { deviceId: { exact: deviceId }, width: 640, height: 480 } : { facingMode: 'user', width: 640, height: 480 },
    audio: false,
  });
}

/** Stops every track of a stream, releasing the camera. */
export function closeCamera(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

/** A plain sentence for a getUserMedia failure. */
/** What to say when the camera's track ends on its own (unplugged, or taken by another app). */
export const CAMERA_DISCONNECTED = 'The camera was disconnected. Plug it back in (or close the app using it) and start again.';

export function describeCameraError(error: unknown): string {
  const name = (error as { name?: string }).name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'Camera permission was denied. Allow the camera in the address bar, then try again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found. Plug one in, or classify photos instead.';
  if (name === 'NotReadableError') return 'The camera is in use by another app. Close it and try again.';
  return (error as Error).message || 'The camera could not start.';
}

/** Side of a recorded frame: the centre square, a little above the 224 px the app trains on. */
export const FRAME_SIDE = 320;

/**
 * The video's current frame as a JPEG file named `webcam-<timestamp>.jpg`: its centre square
 * (the part the app's preprocessing keeps anyway) at FRAME_SIDE px, unmirrored.
 */
export async function grabJpegFrame(video: HTMLVideoElement, quality = 0.9): Promise<File> {
  const { videoWidth: width, videoHeight: height } = video;
  if (!width || !height) throw new Error('The camera has not sent a picture yet.');
  const side = Math.min(width, height);
  const out = Math.min(side, FRAME_SIDE);
  const canvas = new OffscreenCanvas(out, out);
  // A CPU canvas: with a GPU one, every frame is read back for JPEG encoding (slow on software GL).
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('No 2D canvas available');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(video, (width - side) / 2, (height - side) / 2, side, side, 0, 0, out, out);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new File([blob], `webcam-${Date.now()}.jpg`, { type: 'image/jpeg' });
}
