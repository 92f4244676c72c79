// Every test process: never reach the instance-metadata address or real AWS credentials.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
process.env.AWS_REGION = process.env.AWS_REGION ?? 'us-east-1';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
// Any AWS call a test forgets to mock fails fast on a closed loopback port instead of reaching AWS.
process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
