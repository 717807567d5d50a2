import { useTrainingStore } from '../../store/training-store';
import { StepHeader } from '../../ui/StepHeader';
import { PhotoPredictions } from './PhotoPredictions';
import { Webcam } from './Webcam';

/** Step 3: use the model on photos, folders and the webcam. */
export function UseStep() {
  const model = useTrainingStore((s) => s.model);
  return (
    <section className="panel step" aria-labelledby="use-title">
      <StepHeader num={3} title="Use" id="use-title">
        <p className="hint">{model ? `Classifies into ${model.classNames.length} classes.` : 'Train a model first (step 2).'}</p>
      </StepHeader>
      {model ? (
        <>
          <Webcam />
          <PhotoPredictions />
        </>
      ) : (
        <p className="empty">Once a model is trained you can try it on your webcam, on photos and on whole folders here.</p>
      )}
    </section>
  );
}
