import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { importIntoClass } from './dataset-actions';
import { RECORD_FPS, startRecording, type Recording } from './frame-recorder';

const isHoldKey = (e: KeyboardEvent) => e.key === ' ' || e.key === 'Enter';

/** "Hold to record": while held (mouse, touch, Space or Enter) camera frames become photos of the class. */
export function RecordButton({ classId, className }: { classId: string; className: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const recording = useRef<Recording | null>(null);
  const [phase, setPhase] = useState<'idle' | 'starting' | 'live'>('idle');
  const [frames, setFrames] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const start = () => {
    if (recording.current || !video.current) return;
    setError(null);
    setFrames(0);
    setPhase('starting');
    recording.current = startRecording(video.current, {
      onLive: () => setPhase('live'),
      onFrame: (file) => {
        setFrames((n) => n + 1);
        void importIntoClass(classId, [{ file, path: file.name }], { quiet: true });
      },
      onError: (message) => {
        recording.current = null;
        setPhase('idle');
        setError(message);
      },
    });
  };
  const stop = () => {
    recording.current?.stop();
    recording.current = null;
    setPhase('idle');
  };

  useEffect(() => {
    // Never keep the camera on in a hidden tab or after the card is gone.
    const onHide = () => {
      if (!document.hidden || !recording.current) return;
      recording.current.stop();
      recording.current = null;
      setPhase('idle');
    };
    document.addEventListener('visibilitychange', onHide);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      recording.current?.stop();
    };
  }, []);

  const on = phase !== 'idle';
  return (
    <div className="recorder">
      <button
        type="button"
        className={`button button--ghost recorder__button${on ? ' recorder__button--on' : ''}`}
        data-testid="record-button"
        data-state={phase}
        aria-pressed={on}
        title={`Hold to add ${RECORD_FPS} camera photos a second to ${className}`}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          start();
        }}
        onPointerUp={stop}
        onPointerCancel={stop}
        onLostPointerCapture={stop}
        onKeyDown={(e) => {
          if (!isHoldKey(e)) return;
          e.preventDefault();
          if (!e.repeat) start();
        }}
        onKeyUp={(e) => {
          if (!isHoldKey(e)) return;
          e.preventDefault();
          stop();
        }}
        onBlur={stop}
        onContextMenu={(e) => e.preventDefault()}
      >
        {phase === 'idle' ? 'Hold to record' : phase === 'starting' ? 'Starting camera…' : `Release to stop (${frames})`}
      </button>
      <video ref={video} className="recorder__preview" data-testid="record-preview" muted playsInline hidden={!on} />
      {error && (
        <p className="error" role="alert" data-testid="record-error">
          {error}
        </p>
      )}
    </div>
  );
}
