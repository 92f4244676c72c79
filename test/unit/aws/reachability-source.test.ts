import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { createReachabilityAdapter } from '../../../src/aws/reachability';
import { ManualClock } from '../../helpers/manual-clock';

// The source side of a suggested security-group rule (issue 10): an instance comes back with its groups.
const ec2 = mockClient(EC2Client);
afterAll(() => ec2.restore());

test('instances carry their security group ids and private address', async () => {
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          { InstanceId: 'i-0web', PrivateIpAddress: '10.0.1.10', Tags: [{ Key: 'Name', Value: 'web-1' }], SecurityGroups: [{ GroupId: 'sg-0web', GroupName: 'web' }, { GroupName: 'no-id' }] },
          { InstanceId: 'i-0bare', Tags: [{ Key: 'Name', Value: 'web-1' }] },
        ],
      },
    ],
  });
  const found = await createReachabilityAdapter({ accountName: 'prod', region: 'us-east-1' }, new ManualClock()).findInstancesByName('web-1');
  expect(found).toEqual([
    { id: 'i-0web', name: 'web-1', privateIp: '10.0.1.10', securityGroupIds: ['sg-0web'] },
    { id: 'i-0bare', name: 'web-1' },
  ]);
});
