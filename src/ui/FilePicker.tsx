import type { ReactNode } from 'react';

interface FilePickerProps {
  label: ReactNode;
  /** Pick a folder (webkitdirectory) instead of files. */
  folder?: boolean;
  multiple?: boolean;
  accept?: string;
  testId?: string;
  variant?: 'primary' | 'ghost';
  disabled?: boolean;
  onFiles: (files: FileList | null) => void;
}

/** A button-styled file or folder picker, reachable by keyboard (the input itself takes focus). */
export function FilePicker({ label, folder, multiple = true, accept, testId, variant = 'primary', disabled, onFiles }: FilePickerProps) {
  const folderProps = folder ? ({ webkitdirectory: '', directory: '' } as Record<string, string>) : {};
  return (
    <label className={`button${variant === 'ghost' ? ' button--ghost' : ''}${disabled ? ' button--disabled' : ''}`}>
      {label}
      <input
        type="file"
        className="visually-hidden"
        multiple={multiple}
        accept={folder ? undefined : accept}
        data-testid={testId}
        disabled={disabled}
        {...folderProps}
        onChange={(e) => {
          onFiles(e.target.files);
          e.target.value = '';
        }}
      />
    </label>
  );
}
