import { FisClient, StartExperimentCommand, StopExperimentCommand } from '@aws-sdk/client-fis';
import {
  CreateNetworkInsightsPathCommand,
  DeleteNetworkInsightsAnalysisCommand,
  DeleteNetworkInsightsPathCommand,
  DescribeNetworkInsightsAnalysesCommand,
  StartNetworkInsightsAnalysisCommand,
} from '@aws-sdk/client-ec2';
import { collectAwsRequestIds } from '../../../src/aws-request-ids';
import { createFisExperiments } from '../../../src/aws/fis';
import { createReachabilityAdapter } from '../../../src/aws/reachability';
import { ManualClock } from '../../helpers/manual-clock';
import { mockFisAndEc2 } from '../../helpers/aws-mocks';

// Successful calls that change something leave their AWS request id for the audit row (issue 10, finding 8).
const { fis, ec2 } = mockFisAndEc2();
const cmd = (c: unknown) => c as any;
const meta = (requestId: string) => ({ $metadata: { httpStatusCode: 200, requestId } });
const where = { accountName: 'prod', accountId: '111111111111', region: 'us-east-1' };

describe('AWS request ids of successful changes', () => {
  it('StartExperiment and StopExperiment note theirs', async () => {
    const experiment = { id: 'EXP1', experimentTemplateId: 'EXT1', state: { status: 'initiating' } };
    fis.on(cmd(StartExperimentCommand)).resolves({ experiment, ...meta('req-start') });
    fis.on(cmd(StopExperimentCommand)).resolves({ experiment, ...meta('req-stop') });
    const port = createFisExperiments(new FisClient({ region: 'us-east-1' }), where);
    const ids: string[] = [];
    await collectAwsRequestIds(ids, async () => {
      await port.start({ templateId: 'EXT1', clientToken: 't', tags: {} });
      await port.stop('EXP1');
    });
    expect(ids).toEqual(['req-start', 'req-stop']);
  });

  it('CreateNetworkInsightsPath, StartNetworkInsightsAnalysis and the deletes note theirs; a read does not', async () => {
    ec2.on(CreateNetworkInsightsPathCommand).resolves({ NetworkInsightsPath: { NetworkInsightsPathId: 'nip-1' }, ...meta('req-path') });
    ec2.on(StartNetworkInsightsAnalysisCommand).resolves({ NetworkInsightsAnalysis: { NetworkInsightsAnalysisId: 'nia-1', Status: 'running' }, ...meta('req-analysis') });
    ec2.on(DescribeNetworkInsightsAnalysesCommand).resolves({ NetworkInsightsAnalyses: [{ NetworkInsightsAnalysisId: 'nia-1' }], ...meta('req-read') });
    ec2.on(DeleteNetworkInsightsAnalysisCommand).resolves(meta('req-del-analysis'));
    ec2.on(DeleteNetworkInsightsPathCommand).resolves(meta('req-del-path'));
    const port = createReachabilityAdapter(where, new ManualClock());
    const ids: string[] = [];
    await collectAwsRequestIds(ids, async () => {
      await port.createPath({ source: 'i-a', destination: 'i-b', protocol: 'tcp', port: 5432 }, 't');
      await port.startAnalysis('nip-1', 't');
      await port.deletePath('nip-1');
    });
    expect(ids).toEqual(['req-path', 'req-analysis', 'req-del-analysis', 'req-del-path']);
  });

  it('outside an invocation nothing is collected, and nothing fails', async () => {
    fis.on(cmd(StartExperimentCommand)).resolves({ experiment: { id: 'EXP1', state: { status: 'initiating' } }, ...meta('req-x') });
    const port = createFisExperiments(new FisClient({ region: 'us-east-1' }), where);
    await expect(port.start({ templateId: 'EXT1', clientToken: 't', tags: {} })).resolves.toMatchObject({ id: 'EXP1' });
  });
});
