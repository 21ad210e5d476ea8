/**
 * Who a person is to the bot: a contact reports for an agency; coordinators and administrators follow
 * the plan, and only an administrator may invite a coordinator.
 */
export type Role = "contact" | "coordinator" | "admin";
