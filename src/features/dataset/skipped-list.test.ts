import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INITIAL_PROJECT_STATE, type ProjectState } from '../../store/project-store';
import { planDatasetImport } from './import-plan';
import { SkippedList } from './SkippedList';

vi.mock('../../engine/connection', () => ({ engine: () => Promise.reject(new Error('not used')) }));

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"');
const file = (path: string) => ({ file: new File([new Uint8Array([1])], path.split('/').at(-1) ?? path), path });

/** Server rendering reads a store's initial state (INITIAL_PROJECT_STATE itself), so the test puts the list there for a moment. */
const initial: { skipped: ProjectState['skipped'] } = INITIAL_PROJECT_STATE;
const none = initial.skipped;
function showSkipped(skipped: ProjectState['skipped']): void {
  initial.skipped = skipped;
}

afterEach(() => {
  initial.skipped = none;
});

describe('SkippedList', () => {
  it('shows folders put together in one class as a note with their names, not as skipped files', () => {
    const plan = planDatasetImport([file('data/cat/a.jpg'), file('data/cat /b.jpg'), file('data/dog/c.jpg')]);
    showSkipped(plan.skipped);
    const shown = text(renderToStaticMarkup(createElement(SkippedList)));
    expect(shown).toContain('Every file was added');
    expect(shown).not.toContain('skipped');
    expect(shown).toContain('Folders "cat" and "cat " both become the class "cat"');
  });

  it('counts only files in its title when notes and skipped files mix', () => {
    const plan = planDatasetImport([file('data/cat/a.jpg'), file('data/cat /b.jpg'), file('data/loose.jpg')]);
    showSkipped(plan.skipped);
    expect(text(renderToStaticMarkup(createElement(SkippedList)))).toContain('1 file was skipped; everything else was added.');
  });
});
