import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochLog } from '../../ml/head/train-head';

const COLORS = { train: '#3b5bdb', val: '#e8590c' };

function Chart({ data, title, keys, domain }: { data: EpochLog[]; title: string; keys: [keyof EpochLog, keyof EpochLog]; domain?: [number, number] }) {
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
          <Line type="monotone" dataKey={keys[0]} name="training" stroke={COLORS.train} dot={false} strokeWidth={2} isAnimationActive={false} />
          <Line type="monotone" dataKey={keys[1]} name="validation" stroke={COLORS.val} dot={false} strokeWidth={2} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Live loss and accuracy curves, one point per finished epoch. */
export function TrainingChart({ history }: { history: EpochLog[] }) {
  return (
    <div className="charts" data-testid="training-chart" data-epochs={history.length}>
      <Chart data={history} title="Loss (lower is better)" keys={['loss', 'valLoss']} />
      <Chart data={history} title="Accuracy (higher is better)" keys={['accuracy', 'valAccuracy']} domain={[0, 1]} />
    </div>
  );
}
