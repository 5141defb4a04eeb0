import { test, expect, hydrate } from './fixtures';
import { Machine, getScenario } from '../../src/engine/index';

/**
 * With every process at oom_score_adj −1000 the OOM killer has no victim: the kernel
 * logs it and panics. The simulator says so, and Reset boots the machine again.
 */
test('a box with nothing killable panics, the simulator says so, and Reset boots it again', async ({ page }) => {
  test.setTimeout(90_000);
  // Every command name running when the oom-loop figure starts, computed by the engine.
  const sc = getScenario('oom-loop')!;
  const m = new Machine({ kernel: sc.kernelEra, ...sc.machine });
  m.schedule(sc.timeline.filter((a) => a.t <= 600));
  m.runUntil(600);
  const comms = [...new Set(m.state.procs.filter((p) => p.alive).map((p) => p.comm))];
  const actions = comms.map((c) => `600.1@adj:-1000:comm=${c}`).join(',');
  await page.goto(`/embed/oom-loop/?sim=v1;preset=oom-loop;t=640;do=${actions}`);
  await hydrate(page);
  const halted = page.getByTestId('sim-halted');
  await expect(halted).toBeVisible({ timeout: 30_000 });
  await expect(halted).toContainText('Kernel panic - not syncing: System is deadlocked on memory');
  const sim = page.getByTestId('simulator');
  await expect(sim.getByText('Out of memory and no killable processes...').first()).toBeVisible();
  await halted.getByRole('button', { name: 'Reset the simulator' }).click();
  await expect(halted).toBeHidden({ timeout: 15_000 });
  await expect(sim).toHaveAttribute('data-t', '600.0');
});
