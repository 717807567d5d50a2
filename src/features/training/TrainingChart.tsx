import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochLog } from '../../ml/head/train-head';

const COLORS = { train: '#3b5bdb', val: '#e8590c' };

function Chart({ data, title, keys, domain, marker }: { data: EpochLog[]; title: string; keys: [keyof EpochLog, keyof EpochLog]; domain?: [number, number]; marker: number | null }) {
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#eef0f5" />
          <XAxis dataKey="epoch" tickLine={false} fontSize={12} />
          <YAxis domain={domain ?? ['auto', 'auto']} tickLine={false} fontSize={12} width={48} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {marker !== null && <ReferenceLine x={marker} stroke="#868e96" strokeDasharray="4 3" label={{ value: 'fine-tune', position: 'insideTopRight', fontSize: 11, fill: '#495057' }} />}
          <Line type="monotone" dataKey={keys[0]} name="training" stroke={COLORS.train} dot={false} strokeWidth={2} isAnimationActive={false} />
          <Line type="monotone" dataKey={keys[1]} name="validation" stroke={COLORS.val} dot={false} strokeWidth={2} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Live loss and accuracy curves, one point per finished epoch; fine-tune epochs go on after the head's, past a dashed line. */
export function TrainingChart({ history, fineTuneFrom = null }: { history: EpochLog[]; fineTuneFrom?: number | null }) {
  const marker = fineTuneFrom !== null && fineTuneFrom > 0 ? fineTuneFrom : null;
  return (
    <div className="charts" data-testid="training-chart" data-epochs={history.length} data-finetune-from={fineTuneFrom ?? ''}>
      <Chart data={history} title="Loss (lower is better)" keys={['loss', 'valLoss']} marker={marker} />
      <Chart data={history} title="Accuracy (higher is better)" keys={['accuracy', 'valAccuracy']} domain={[0, 1]} marker={marker} />
    </div>
  );
}
