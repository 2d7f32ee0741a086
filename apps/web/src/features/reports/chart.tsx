import { Box, Center, Loader } from '@mantine/core';
import type { EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

type EChartsModule = typeof import('./echarts-setup.ts');
let loading: Promise<EChartsModule> | null = null;
const loadCharts = () => {
  loading ??= import('./echarts-setup.ts');
  return loading;
};

export interface ChartClick {
  dataIndex: number;
  seriesName?: string;
  value?: unknown;
}

/** An ECharts canvas that follows its container's width; the library is fetched on first use. */
export function Chart({
  option,
  height = 260,
  onClick,
  testId,
  label,
}: {
  option: EChartsCoreOption;
  height?: number;
  onClick?: (e: ChartClick) => void;
  testId: string;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const chartRef = useRef<ReturnType<EChartsModule['echarts']['init']> | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void loadCharts().then(({ echarts }) => {
      if (disposed || !ref.current) return;
      const chart = echarts.init(ref.current);
      chart.on('click', (p) =>
        clickRef.current?.({ dataIndex: p.dataIndex, seriesName: p.seriesName, value: p.value }),
      );
      chartRef.current = chart;
      observer = new ResizeObserver(() => chart.resize());
      observer.observe(ref.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chartRef.current?.dispose();
      chartRef.current = null;
    };
  }, []);

  // Options are rebuilt on every render; the chart is redrawn only when they really change.
  const key = JSON.stringify(option);
  const optionRef = useRef(option);
  optionRef.current = option;
  useEffect(() => {
    if (ready && key) chartRef.current?.setOption(optionRef.current, true);
  }, [ready, key]);

  return (
    <Box
      pos="relative"
      h={height}
      data-testid={testId}
      data-ready={ready ? 'true' : 'false'}
      role="img"
      aria-label={label}
    >
      <div ref={ref} style={{ width: '100%', height: '100%' }} />
      {!ready && (
        <Center pos="absolute" inset={0}>
          <Loader size="sm" />
        </Center>
      )}
    </Box>
  );
}
