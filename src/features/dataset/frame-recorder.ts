import { CAMERA_DISCONNECTED, closeCamera, describeCameraError, grabJpegFrame, openCamera } from '../../platform/camera';

/** Frames recorded per second while the record button is held. */
export const RECORD_FPS = 4;

/** A recording in progress; `stop()` releases the camera at once. */
export interface Recording {
  stop(): void;
}

/** What a recording reports. */
export interface RecordingEvents {
  /** The preview shows the camera. */
  onLive(): void;
  /** One frame, as a JPEG file. */
  onFrame(file: File): void;
  /** The camera could not start (a sentence that says what to do). */
  onError(message: string): void;
}

/** Opens the camera into `video`, then grabs a JPEG frame RECORD_FPS times a second until `stop()`. */
export function startRecording(video: HTMLVideoElement, events: RecordingEvents): Recording {
  let stopped = false;
  let stream: MediaStream | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let grabbing = false;

  const stop = () => {
    stopped = true;
    clearInterval(timer);
    closeCamera(stream);
    stream = null;
    video.srcObject = null;
  };

  // One frame in flight at a time; a frame grabbed just before release is still kept.
  const grab = () => {
    if (grabbing || stopped || video.readyState < 2) return;
    grabbing = true;
    grabJpegFrame(video)
      .then(events.onFrame, () => undefined)
      .finally(() => {
        grabbing = false;
      });
  };

  openCamera(null)
    .then(async (opened) => {
      if (stopped) return closeCamera(opened);
      stream = opened;
      // Unplugged (or taken by the system) mid-recording: stop, keep the frames, say what happened.
      opened.getVideoTracks()[0]?.addEventListener('ended', () => {
        if (stopped) return;
        stop();
        events.onError(CAMERA_DISCONNECTED);
      });
      video.srcObject = opened;
      await video.play();
      if (stopped) return;
      events.onLive();
      grab();
      timer = setInterval(grab, 1000 / RECORD_FPS);
    })
    .catch((error: unknown) => {
      const released = stopped;
      stop();
      if (!released) events.onError(describeCameraError(error));
    });
  return { stop };
}
