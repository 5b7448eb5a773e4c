//! One function per button: actions that name no connection ([`home`]), actions on a
//! connection as a whole ([`connection`]), and on its parameters and roles ([`settings`]).

mod connection;
mod home;
mod settings;
