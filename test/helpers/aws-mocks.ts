import { FisClient } from '@aws-sdk/client-fis';
import { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';

/**
 * FIS and EC2 stubbed at the SDK boundary for the whole test file: reset before each test, restored after all.
 * client-fis 3.523.0 nests an older @smithy/types than aws-sdk-client-mock's, so the FIS stub is typed loosely.
 */
export function mockFisAndEc2(): { fis: AwsStub<any, any, any>; ec2: AwsStub<any, any, any> } {
  const fis = mockClient(FisClient as any) as unknown as AwsStub<any, any, any>;
  const ec2 = mockClient(EC2Client) as unknown as AwsStub<any, any, any>;
  beforeEach(() => {
    fis.reset();
    ec2.reset();
  });
  afterAll(() => {
    fis.restore();
    ec2.restore();
  });
  return { fis, ec2 };
}
