import { describe, expect, it } from 'vitest';
import { renderRuleGroups, Severity, type AlertRule } from '../../../lib/observability/metrics/alert-rule';

const rule: AlertRule = {
  alert: 'TargetDown', expr: 'up == 0', for: '2m', severity: Severity.CRITICAL,
  summary: 'down', description: 'it is down', labels: { service: 'api' },
};

describe('renderRuleGroups', () => {
  it('sets severity and environment labels and links the runbook by alert name', () => {
    const [group] = renderRuleGroups([{ name: 'g', rules: [rule] }], { environment: 'prod', runbookBaseUrl: 'https://runbooks.example.com/alerts/' });
    expect(group.rules[0]).toEqual({
      alert: 'TargetDown', expr: 'up == 0', for: '2m',
      labels: { environment: 'prod', service: 'api', severity: 'critical' },
      annotations: { summary: 'down', description: 'it is down', runbook_url: 'https://runbooks.example.com/alerts/targetdown' },
    });
  });

  it('omits the runbook link when no base URL is given', () => {
    const [group] = renderRuleGroups([{ name: 'g', rules: [rule] }], { environment: 'dev' });
    expect(group.rules[0].annotations).not.toHaveProperty('runbook_url');
  });

  it('fails on a "for" that is not a Prometheus duration', () => {
    expect(() => renderRuleGroups([{ name: 'g', rules: [{ ...rule, for: '5 minutes' }] }], { environment: 'dev' })).toThrow('received "5 minutes"');
  });

  it('fails on an alert name that is not UpperCamelCase', () => {
    expect(() => renderRuleGroups([{ name: 'g', rules: [{ ...rule, alert: 'target_down' }] }], { environment: 'dev' })).toThrow('"target_down"');
  });

  it('fails when a rule sets the severity label itself', () => {
    expect(() => renderRuleGroups([{ name: 'g', rules: [{ ...rule, labels: { severity: 'page' } }] }], { environment: 'dev' })).toThrow('"severity" label');
  });

  it('fails on duplicate group names and duplicate alerts in a group', () => {
    expect(() => renderRuleGroups([{ name: 'g', rules: [rule] }, { name: 'g', rules: [rule] }], { environment: 'dev' })).toThrow('"g" is defined twice');
    expect(() => renderRuleGroups([{ name: 'g', rules: [rule, rule] }], { environment: 'dev' })).toThrow('TargetDown is defined twice');
  });
});
