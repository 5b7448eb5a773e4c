//! One function per button: actions that name no connection ([`home`]), actions on a
//! connection as a whole ([`connection`]), on its parameters and roles ([`settings`]), and
//! on its templates ([`templates`]).

mod connection;
mod home;
mod settings;
mod templates;
