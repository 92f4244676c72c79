/** Region-aware AWS console links and short labels for the components a reachability answer names. */
import type { ComponentRef, Endpoint } from '../reach/model';
import { code, link } from './text';

/** Console host per partition: commercial, GovCloud and China differ. */
function consoleBase(region: string): string {
  if (region.startsWith('us-gov-')) return 'https://console.amazonaws-us-gov.com';
  if (region.startsWith('cn-')) return 'https://console.amazonaws.cn';
  return `https://${region}.console.aws.amazon.com`;
}

const EC2 = (fragment: string) => ({ app: 'ec2', fragment });
const VPC = (fragment: string) => ({ app: 'vpcconsole', fragment });

/** Console detail pages by id prefix (longest prefix first). */
const PAGES: [string, { app: string; fragment: string }][] = [
  ['tgw-attach-', VPC('TransitGatewayAttachmentDetails:transitGatewayAttachmentId=')],
  ['vpce-svc-', VPC('EndpointServiceDetails:endpointServiceId=')],
  ['i-', EC2('InstanceDetails:instanceId=')],
  ['eni-', EC2('NetworkInterface:networkInterfaceId=')],
  ['sg-', EC2('SecurityGroup:groupId=')],
  ['acl-', VPC('NetworkAclDetails:networkAclId=')],
  ['rtb-', VPC('RouteTableDetails:RouteTableId=')],
  ['subnet-', VPC('SubnetDetails:subnetId=')],
  ['vpc-', VPC('VpcDetails:VpcId=')],
  ['igw-', VPC('InternetGateway:internetGatewayId=')],
  ['nat-', VPC('NatGatewayDetails:natGatewayId=')],
  ['pcx-', VPC('PeeringConnectionDetails:VpcPeeringConnectionId=')],
  ['tgw-rtb-', VPC('TransitGatewayRouteTableDetails:transitGatewayRouteTableId=')],
  ['tgw-', VPC('TransitGatewayDetails:transitGatewayId=')],
  ['vpce-', VPC('EndpointDetails:vpcEndpointId=')],
  ['vgw-', VPC('VpnGatewayDetails:VpnGatewayId=')],
  ['pl-', VPC('PrefixListDetails:prefixListId=')],
];

/** The console page of a component, or undefined for kinds without one we know. */
export function consoleUrl(id: string, region: string): string | undefined {
  const page = PAGES.find(([prefix]) => id.startsWith(prefix))?.[1];
  if (!page || !/^[a-z0-9-]+$/.test(id)) return undefined;
  return `${consoleBase(region)}/${page.app}/home?region=${region}#${page.fragment}${id}`;
}

/** `sg-0db (db-sg)`: id first (what the console shows), Name tag in brackets; escaped. */
export function componentLabel(c: ComponentRef): string {
  return code(c.name && c.name !== c.id ? `${c.id} (${c.name})` : c.id);
}

/** A label plus a console link when one exists. */
export function componentWithLink(c: ComponentRef, region: string): string {
  const url = consoleUrl(c.id, region);
  return url ? `${componentLabel(c)} ${link(url, 'console')}` : componentLabel(c);
}

/** Short hop label: the Name tag when there is one, else the id (escaped). */
export function shortLabel(c: ComponentRef): string {
  return code(c.name || c.id);
}

/** How an endpoint reads in a sentence: its name, else what was typed; an IP resolved to an instance says so. */
export function endpointLabel(e: Endpoint): string {
  if (e.kind === 'ip' || e.ip) return e.owner?.name ? `${code(e.ip ?? e.input)} (${code(e.owner.name)})` : code(e.ip ?? e.input);
  return code(e.name ?? e.input);
}
