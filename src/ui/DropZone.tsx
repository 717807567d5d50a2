import { useState, type ReactNode } from 'react';

interface DropZoneProps {
  /** Called with the drop's DataTransfer (folders are walked by the caller). */
  onDrop: (data: DataTransfer) => void;
  label: string;
  children?: ReactNode;
  testId?: string;
}

/** A region that accepts dropped files and folders, highlighted while something hovers. */
export function DropZone({ onDrop, label, children, testId }: DropZoneProps) {
  const [over, setOver] = useState(false);
  return (
    <section
      className={`drop-zone${over ? ' drop-zone--over' : ''}`}
      aria-label={label}
      data-testid={testId}
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        onDrop(e.dataTransfer);
      }}
    >
      {children}
    </section>
  );
}
