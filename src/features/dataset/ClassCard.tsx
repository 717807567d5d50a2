import { memo, useMemo, useRef, useState } from 'react';
import { filesFromDataTransfer, filesFromInput } from '../../platform/folder-walk';
import { imagesOfClass, useProjectStore, type ClassInfo } from '../../store/project-store';
import { useSameItems } from '../../store/same-items';
import { DropZone } from '../../ui/DropZone';
import { FilePicker } from '../../ui/FilePicker';
import { useNearViewport } from '../../ui/use-near-viewport';
import { deleteClass, importIntoClass, mergeClasses, renameClass } from './dataset-actions';
import { RecordButton } from './RecordButton';
import { ThumbGrid } from './ThumbGrid';

/**
 * One class, compact: editable name and count, a strip of thumbnails (open for all), one row of
 * actions (add, merge, delete, record). Memoised: the Data step re-renders on every import
 * progress update, and a card has nothing to redraw then unless its class or its photos changed.
 */
export const ClassCard = memo(function ClassCard({ info }: { info: ClassInfo }) {
  // Compared element by element: a card re-renders only when its own images change, not on every import batch.
  const images = useProjectStore(useSameItems((s) => imagesOfClass(s.images, info.id)));
  const classes = useProjectStore((s) => s.classes);
  const others = useMemo(() => classes.filter((c) => c.id !== info.id), [classes, info.id]);
  const card = useRef<HTMLElement>(null);
  // Thumbnails (and their decoded pictures) exist only for cards on or near the screen.
  const near = useNearViewport(card);
  const [name, setName] = useState(info.name);
  const [nameTaken, setNameTaken] = useState(false);
  const commitName = async () => {
    const ok = await renameClass(info.id, name);
    setNameTaken(!ok);
    if (!ok) setName(info.name);
  };
  return (
    <DropZone label={`Drop photos into ${info.name}`} onDrop={(data) => void filesFromDataTransfer(data).then((f) => importIntoClass(info.id, f))}>
      <article ref={card} className="class-card" data-testid="class-card" data-class-name={info.name}>
        <header className="class-card__head">
          <input
            className="class-card__name"
            data-testid="class-name"
            aria-label="Class name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onBlur={() => void commitName()}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur();
            }}
          />
          <span className="class-card__count" data-testid="class-count" data-value={images.length}>
            {images.length.toLocaleString()} {images.length === 1 ? 'photo' : 'photos'}
          </span>
        </header>
        {nameTaken && (
          <p className="error" role="alert">
            Another class already has that name. Pick a different one, or merge the two classes.
          </p>
        )}
        {images.length > 0 ? (
          <ThumbGrid images={images} live={near} />
        ) : (
          <p className="hint">No photos yet. Drop photos or a folder here, add them below, or hold the record button in front of your camera.</p>
        )}
        <div className="class-card__actions">
          <FilePicker label="Add photos" accept="image/*" testId="class-input" variant="ghost" onFiles={(l) => void importIntoClass(info.id, filesFromInput(l))} />
          {others.length > 0 && (
            <select
              aria-label={`Merge ${info.name} into another class`}
              data-testid="class-merge"
              value=""
              onChange={(e) => e.target.value && void mergeClasses(info.id, e.target.value)}
            >
              <option value="">Merge into…</option>
              {/* 200 classes would be 40,000 options: only cards near the screen list theirs. */}
              {(near ? others : []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
          <button
            type="button"
            className="button button--ghost button--danger"
            data-testid="class-delete"
            onClick={() => {
              if (images.length === 0 || window.confirm(`Delete the class "${info.name}" and its ${images.length} photos?`)) void deleteClass(info.id);
            }}
          >
            Delete
          </button>
          <RecordButton classId={info.id} className={info.name} />
        </div>
      </article>
    </DropZone>
  );
});
