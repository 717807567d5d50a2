/** The largest count in a confusion matrix, at least 1 (the colour scale's top). A loop: spreading a 1000x1000 matrix into `Math.max` overflows the call stack. */
export function confusionMax(confusion: readonly (readonly number[])[]): number {
  let max = 1;
  for (const row of confusion) for (const n of row) if (n > max) max = n;
  return max;
}

/** Ids of the validation photos of class `truth` that the model predicted as `predicted` (the photos behind one matrix cell). */
export function cellImageIds(
  model: { classIds: readonly string[]; validationImageIds: readonly string[]; validationPredicted: readonly number[] },
  [truth, predicted]: readonly [number, number],
): string[] {
  const classId = model.classIds[truth];
  if (classId === undefined) return [];
  // Image ids are `classId:sha256`.
  return model.validationImageIds.filter((id, v) => id.startsWith(`${classId}:`) && model.validationPredicted[v] === predicted);
}
