({
    // Omni's presence now, for the phone (at start, after an Omni login, and when the phone asks).
    publishCurrentStatus: function (component, event, helper) {
        helper.publishCurrent(component);
    },

    handleStatusChanged: function (component, event, helper) {
        helper.publishStatus(component, event.getParam('statusApiName'), event.getParam('statusName'));
    },

    handleLogout: function (component, event, helper) {
        helper.publishStatus(component, '', '');
    },

    // setOmniStatus from the phone: only a ServicePresenceStatus id (key prefix 0N5) is passed on.
    handleRequest: function (component, message, helper) {
        var type = message.getParam('type');
        if (type === 'omniStatusRequest') {
            helper.publishCurrent(component);
            return;
        }
        var statusId = message.getParam('statusId');
        if (type !== 'setOmniStatus' || typeof statusId !== 'string' || !/^0N5[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(statusId)) {
            return;
        }
        component
            .find('omniToolkit')
            .setServicePresenceStatus({ statusId: statusId })
            .catch(function (error) {
                console.warn('ccphone Omni bridge: presence not set', error);
            });
    }
});
