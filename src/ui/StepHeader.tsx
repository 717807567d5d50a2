import type { ReactNode } from 'react';

interface StepHeaderProps {
  /** Step number shown in the badge (1-4). */
  num: number;
  title: string;
  /** Id of the heading, for the section's aria-labelledby. */
  id: string;
  /** The step's status line. */
  children: ReactNode;
}

/** The numbered heading of a workflow step, with its status line. */
export function StepHeader({ num, title, id, children }: StepHeaderProps) {
  return (
    <header className="step__head">
      <h2 id={id}>
        <span className="step__num">{num}</span> {title}
      </h2>
      {children}
    </header>
  );
}
